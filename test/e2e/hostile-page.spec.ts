/**
 * docs/trust-model.md in a real browser: a web page on another origin, in the same Chromium the
 * owner uses, tries everything a page can do to reach the local API (fetch with and
 * without credentials, a stolen key in a header, form posts, text/plain bodies, beacons)
 * and a DNS-rebinding name that resolves to 127.0.0.1. Every attempt is refused, no
 * response grants CORS, and nothing is written.
 */
import { createServer, type Server } from 'node:http';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { expect, sharedPurser, test } from './fixtures';

const purser = sharedPurser({ label: 'hostile' });
let key: string;
let evil: Server;
let evilPort: number;
const json = <T>(text: string) => JSON.parse(text) as T;

// evil.test resolves to 127.0.0.1 in this browser: the rebinding attacker's name.
test.use({
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP evil.test 127.0.0.1'],
  },
});

test.beforeAll(async () => {
  ({ key } = await purser.agentWithKey('victim', ['--budget-cents', '100000']));
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>totally harmless</title><body>hello</body>');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  const address = evil.address();
  evilPort = typeof address === 'object' && address ? address.port : 0;
});

test.afterAll(async () => {
  await new Promise((resolve) => evil.close(resolve));
});

async function ledgerCount(): Promise<number> {
  const exported = await purser.cli('ledger', 'export', '--format', 'json');
  return json<unknown[]>(exported.stdout).length;
}

test('a page on another origin can neither read from nor write to the API', async ({ page }) => {
  // The owner is logged in to the window in this very browser. Its session is a token the
  // page holds, never a cookie, so a cross-site request has no credential to ride on.
  await purser.open(page);
  expect(await page.context().cookies()).toEqual([]);
  const before = await ledgerCount();
  await page.goto(`http://evil.test:${evilPort}/`);
  const api = purser.url;
  const spend = JSON.stringify({
    amount_cents: 5_000,
    currency: 'usd',
    merchant_name: 'Attacker',
    reason: 'pwned',
  });
  const outcomes = await page.evaluate(
    async ({ api, key, spend }) => {
      const attempt = async (name: string, run: () => Promise<Response>) => {
        try {
          const r = await run();
          return {
            name,
            result:
              r.type === 'opaque'
                ? 'opaque (unreadable)'
                : `read ${r.status}: ${(await r.text()).slice(0, 80)}`,
          };
        } catch (error) {
          return { name, result: `blocked: ${String(error)}` };
        }
      };
      const results = [
        await attempt('fetch with a stolen key', () =>
          fetch(`${api}/v1/spend`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: spend,
          }),
        ),
        await attempt('fetch, no credentials', () => fetch(`${api}/v1/openapi.json`)),
        await attempt('fetch with credentials', () =>
          fetch(`${api}/admin/v1/agents`, { credentials: 'include' }),
        ),
        await attempt('no-cors text/plain spend', () =>
          fetch(`${api}/v1/spend`, {
            method: 'POST',
            mode: 'no-cors',
            headers: { 'content-type': 'text/plain' },
            body: spend,
          }),
        ),
        await attempt('no-cors freeze', () =>
          fetch(`${api}/admin/v1/unfreeze`, {
            method: 'POST',
            mode: 'no-cors',
            credentials: 'include',
          }),
        ),
      ];
      const beacon = navigator.sendBeacon(
        `${api}/admin/v1/freeze`,
        new Blob([spend], { type: 'text/plain' }),
      );
      results.push({ name: 'beacon', result: `queued: ${beacon}` });
      // A text/plain form post smuggling JSON, the classic CSRF against JSON APIs.
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = `${api}/v1/spend`;
      form.enctype = 'text/plain';
      const input = document.createElement('input');
      input.name = spend.slice(0, -1) + ',"x":"';
      input.value = '"}';
      form.appendChild(input);
      const frame = document.createElement('iframe');
      frame.name = 'sink';
      document.body.appendChild(frame);
      form.target = 'sink';
      document.body.appendChild(form);
      form.submit();
      // And an ordinary urlencoded form at the owner's panic button.
      const freeze = document.createElement('form');
      freeze.method = 'POST';
      freeze.action = `${api}/admin/v1/freeze`;
      freeze.target = 'sink';
      document.body.appendChild(freeze);
      freeze.submit();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return results;
    },
    { api, key, spend },
  );
  for (const o of outcomes.filter((o) => o.name.startsWith('fetch')))
    expect(o.result, o.name).toMatch(/^blocked/);
  for (const o of outcomes.filter((o) => o.name.startsWith('no-cors')))
    expect(o.result, o.name).toBe('opaque (unreadable)');

  // Nothing happened: no spend, no freeze, no new ledger entry.
  expect(await ledgerCount()).toBe(before);
  const settings = await purser.json<{ frozen: boolean }>('settings', 'show');
  expect(settings.frozen).toBe(false);
  const balance = await fetch(`${api}/v1/balance`, {
    headers: { authorization: `Bearer ${key}` },
  }).then((r) => r.json() as Promise<{ spent_cents: number }>);
  expect(balance.spent_cents).toBe(0);
  console.log(`hostile page: ${outcomes.length + 2} attacks refused`);
});

test('a DNS-rebinding name that resolves to 127.0.0.1 gets nothing from Purser', async ({
  page,
}) => {
  const port = new URL(purser.url).port;
  const response = await page.goto(`http://evil.test:${port}/v1/openapi.json`);
  expect(response?.status()).toBe(403);
  const body = (await response?.text()) ?? '';
  expect(json<{ error: { code: string } }>(body).error.code).toBe('invalid_request');
  expect(body).not.toContain('openapi');
  const headers = response?.headers() ?? {};
  expect(Object.keys(headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);

  // Even with the owner window's path and a same-"origin" fetch from the rebound page.
  const page2 = await page.context().newPage();
  const blocked = await page2.goto(`http://evil.test:${port}/app/`);
  expect(blocked?.status()).toBe(403);
  const fetched = await page2.evaluate(async () => {
    const r = await fetch('/admin/v1/agents');
    return { status: r.status, text: await r.text() };
  });
  expect(fetched.status).toBe(403);
  expect(fetched.text).not.toContain('victim');
});
