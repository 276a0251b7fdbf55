/**
 * The owner's session in real Chromium (docs/trust-model.md). Browsers send 127.0.0.1
 * cookies to every port of 127.0.0.1, so a session cookie leaked to any local program the
 * owner's browser visited. Here the owner logs in, then opens a page served by another
 * program on another local port; everything that program receives is replayed against
 * the owner API and refused. Then the session ends (revoked, logged out) and the window
 * says so, with how to get a new link.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { expect, sharedPurser, test } from './fixtures';

const purser = sharedPurser({ label: 'session' });
let local: Server;
let localPort: number;
const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];

test.beforeAll(async () => {
  await purser.cli('agents', 'create', '--name', 'bot', '--json');
  // Another local program: an agent's dev server that the owner happens to preview.
  local = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<!doctype html><title>dev server</title><img src="/pixel.png">' +
        '<script>fetch("/beacon", { method: "POST", credentials: "include" })</script>',
    );
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const address = local.address();
  localPort = typeof address === 'object' && address ? address.port : 0;
});

test.afterAll(async () => {
  await new Promise((resolve) => local.close(resolve));
});

test('another local port receives nothing that opens the owner API', async ({ page }) => {
  const link = await purser.loginLink();
  await page.goto(link);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  // The login code is gone from the address bar and never shown on the page.
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  const code = /#code=(\w+)/.exec(link)?.[1] ?? '';
  expect(page.url()).not.toContain(code);
  expect(await page.content()).not.toContain(code);
  await page.reload(); // sessionStorage keeps the session across a reload
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await page.screenshot({ path: 'test-results/owner-window-logged-in.png' });

  // The owner opens the other program's page, in a new tab and in the window's own tab.
  const other = await page.context().newPage();
  await other.goto(`http://127.0.0.1:${localPort}/`);
  await other.waitForLoadState('networkidle');
  await page.goto(`http://localhost:${localPort}/`);
  await page.waitForLoadState('networkidle');
  expect(received.length).toBeGreaterThanOrEqual(3);

  // Replay every request that program received, every header as it came, at the owner API.
  let replayed = 0;
  for (const request of received) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || ['host', 'content-length', 'connection'].includes(name)) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    for (const [method, path, body] of [
      ['GET', '/admin/v1/agents', undefined],
      ['GET', '/admin/v1/sessions', undefined],
      ['POST', '/admin/v1/freeze', '{}'],
      ['POST', '/admin/v1/login-links', '{}'],
    ] as const) {
      const res = await fetch(`${purser.url}${path}`, {
        method,
        // Origin and Sec-Fetch-* name the other program's page; drop them too, as a
        // replaying program would, so only a credential could open the door.
        headers: Object.fromEntries(
          Object.entries({ ...headers, 'content-type': 'application/json' }).filter(
            ([h]) => h !== 'origin' && !h.startsWith('sec-fetch'),
          ),
        ),
        body,
      });
      expect(res.status, `${method} ${path} with ${JSON.stringify(headers)}`).toBe(401);
      replayed += 1;
    }
  }
  const everything = JSON.stringify(received);
  expect(everything).not.toMatch(/pos_[0-9A-Za-z]{20}|pot_[0-9A-Za-z]{20}|purser_session/);
  const settings = await purser.json<{ frozen: boolean }>('settings', 'show');
  expect(settings.frozen).toBe(false);
  console.log(
    `owner session: ${received.length} requests to another port, ${replayed} replays refused`,
  );
});

test('a revoked session is said plainly in the window, with how to get a new link', async ({
  page,
}) => {
  await purser.open(page);
  const listed = await purser.json<{ sessions: Array<{ id: string }> }>('sessions');
  expect(listed.sessions.length).toBeGreaterThanOrEqual(1);
  const revoked = await purser.cli('sessions', 'revoke', '--all');
  expect(revoked.code).toBe(0);

  // The event stream closes with the session; the window notices without a click.
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Session ended', { timeout: 15_000 });
  await expect(alert).toContainText('purser login');
  await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/owner-window-session-ended.png' });
  await page.reload();
  await expect(page.getByRole('alert')).toContainText('not logged in');
});

test('log out ends the session on the server, not just in the page', async ({ page }) => {
  await purser.open(page);
  const token = await page.evaluate(() => sessionStorage.getItem('purser.session'));
  expect(token).toMatch(/^pos_/);
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('alert')).toContainText('logged out');
  const res = await fetch(`${purser.url}/admin/v1/agents`, {
    headers: { authorization: `Bearer ${token ?? ''}` },
  });
  expect(res.status).toBe(401);
  expect(await page.evaluate(() => sessionStorage.getItem('purser.session'))).toBeNull();
});

test('Settings lists the owner sessions; revoking another window ends it there', async ({
  page,
  context,
}) => {
  await purser.open(page);
  const other = await context.newPage();
  await purser.open(other);

  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Settings' })
    .click();
  const table = page.getByRole('table', { name: 'Owner sessions' });
  await expect(table.getByText('this window')).toHaveCount(1);
  // Earlier tests ended their sessions: the other window is the one other row.
  const revoke = table.getByRole('button', { name: 'Revoke' });
  await expect(revoke).toHaveCount(1);
  await page.screenshot({ path: 'test-results/owner-window-settings.png' });
  await revoke.click();
  await expect(revoke).toHaveCount(0);
  await expect(other.getByRole('alert')).toContainText('Session ended', { timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
});
