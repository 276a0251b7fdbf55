/** Headless mode's owner window: a one-time login link swaps for a strict session cookie. */
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server';

describe('owner login links', () => {
  it('a link works once, sets an HttpOnly SameSite=Strict cookie, and the cookie opens owner routes', async () => {
    const t = await startTestServer();
    const link = t.server.loginUrl();
    expect(link).toMatch(new RegExp(`^${t.url}/app/login\\?code=[0-9A-Za-z]{32}$`));

    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/app/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^purser_session=[0-9A-Za-z]{43}; HttpOnly; SameSite=Strict; Path=\/$/);

    const session = cookie.split(';')[0] ?? '';
    const agents = await fetch(`${t.url}/admin/v1/agents`, { headers: { cookie: session } });
    expect(agents.status).toBe(200);

    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('a made-up session or code opens nothing', async () => {
    const t = await startTestServer();
    const forged = await fetch(`${t.url}/admin/v1/agents`, {
      headers: { cookie: `purser_session=${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);
    expect((await fetch(`${t.url}/app/login?code=nope`, { redirect: 'manual' })).status).toBe(403);
  });

  it('the owner token mints new links; a spending key cannot', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    const minted = await t.owner<{ url: string }>('POST', '/admin/v1/login-links');
    expect(minted.body.url).toContain('/app/login?code=');
    expect((await t.agent(key, 'POST', '/admin/v1/login-links')).status).toBe(401);
  });

  it('the window is served with a strict CSP and no framing', async () => {
    const t = await startTestServer();
    const page = await fetch(`${t.url}/app/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
  });
});
