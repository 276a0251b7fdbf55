/**
 * The owner window's sessions (docs/trust-model.md): a one-time code from the login link
 * is swapped for a session token sent as a header; no cookie ever carries the owner's
 * credential; sessions end when idle, revoked or logged out, and say so.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../electron/core/clock';
import { SESSION_IDLE_MS } from '../../electron/api/owner-sessions';
import type { OwnerAnswer } from '../../shared/contract/owner';
import { startTestServer, type TestServer } from '../helpers/server';
import { tmpHome } from '../helpers/tmp';

const codeOf = (link: string) => /#code=([0-9A-Za-z]+)$/.exec(link)?.[1] ?? '';

async function logIn(t: TestServer): Promise<{ token: string; id: string }> {
  const res = await t.raw('/admin/v1/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: codeOf(t.server.loginUrl()) }),
  });
  expect(res.status).toBe(200);
  const body = res.body as OwnerAnswer<'logIn'>;
  return { token: body.token, id: body.session.id };
}

const asSession = (t: TestServer, token: string, path: string, method = 'GET') =>
  t.raw(path, { method, headers: { authorization: `Bearer ${token}` } });

describe('owner login links and sessions', () => {
  it('the link carries its code in the fragment; it works once and sets no cookie', async () => {
    const t = await startTestServer();
    const link = t.server.loginUrl();
    expect(link).toMatch(new RegExp(`^${t.url}/app/#code=[0-9A-Za-z]{32}$`));

    const first = await fetch(`${t.url}/admin/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: codeOf(link) }),
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('set-cookie')).toBeNull();
    const grant = (await first.json()) as OwnerAnswer<'logIn'>;
    expect(grant.token).toMatch(/^pos_[0-9A-Za-z]{43}$/);
    expect(grant.idle_timeout_seconds).toBe(12 * 3600);
    expect(grant.session).toMatchObject({ current: true });

    expect((await asSession(t, grant.token, '/admin/v1/agents')).status).toBe(200);

    const again = await t.raw('/admin/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: codeOf(link) }),
    });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('no cookie opens an owner route, not even a valid session token sent as one', async () => {
    const t = await startTestServer();
    const { token } = await logIn(t);
    for (const cookie of [`purser_session=${token}`, `session=${token}`, token]) {
      const res = await t.raw('/admin/v1/agents', { headers: { cookie } });
      expect(res.status).toBe(401);
    }
    const forged = await asSession(t, `pos_${'A'.repeat(43)}`, '/admin/v1/agents');
    expect(forged.status).toBe(401);
    expect(JSON.stringify(forged.body)).toContain('purser login');
  });

  it('a session ends after 12 idle hours, and use keeps it alive', async () => {
    const t = await startTestServer();
    const { token } = await logIn(t);
    t.clock.advance(SESSION_IDLE_MS - HOUR_MS);
    expect((await asSession(t, token, '/admin/v1/agents')).status).toBe(200);
    t.clock.advance(SESSION_IDLE_MS - HOUR_MS); // 22 h after login, 11 h idle
    expect((await asSession(t, token, '/admin/v1/agents')).status).toBe(200);
    t.clock.advance(SESSION_IDLE_MS);
    const ended = await asSession(t, token, '/admin/v1/agents');
    expect(ended.status).toBe(401);
    expect(JSON.stringify(ended.body)).toContain('session has ended');
    // Once ended it stays ended, even if the clock went back.
    t.clock.advance(-SESSION_IDLE_MS);
    expect((await asSession(t, token, '/admin/v1/agents')).status).toBe(401);
  });

  it('sessions are listed and revoked by the owner; log out ends only the caller', async () => {
    const t = await startTestServer();
    const a = await logIn(t);
    const b = await logIn(t);
    const listed = await asSession(t, a.token, '/admin/v1/sessions');
    const sessions = (listed.body as OwnerAnswer<'listSessions'>).sessions;
    expect(sessions.map((s) => s.id)).toEqual([a.id, b.id]);
    expect(sessions.find((s) => s.id === a.id)?.current).toBe(true);
    expect(JSON.stringify(listed.body)).not.toContain(a.token);

    const revoked = await t.owner('POST', `/admin/v1/sessions/${b.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await asSession(t, b.token, '/admin/v1/agents')).status).toBe(401);
    expect((await t.owner('POST', `/admin/v1/sessions/${b.id}/revoke`)).status).toBe(404);

    const out = await asSession(t, a.token, '/admin/v1/logout', 'POST');
    expect(out.body).toEqual({ logged_out: true });
    expect((await asSession(t, a.token, '/admin/v1/agents')).status).toBe(401);
    expect((await t.owner('GET', '/admin/v1/agents')).status).toBe(200); // the CLI's token
  });

  it('a spending key opens no session route and cannot mint links', async () => {
    const t = await startTestServer();
    const { key } = await t.newAgent();
    expect((await t.agent(key, 'GET', '/admin/v1/sessions')).status).toBe(401);
    expect((await t.agent(key, 'POST', '/admin/v1/login-links')).status).toBe(401);
    expect((await t.agent(key, 'POST', '/admin/v1/sessions/revoke-all')).status).toBe(401);
    const minted = await t.call('createLoginLink');
    expect(minted.body.url).toContain('/app/#code=');
  });

  it('sessions end with the server: after a restart the old token is refused', async () => {
    const home = tmpHome();
    const first = await startTestServer({ home });
    const { token } = await logIn(first);
    await first.server.close();
    const second = await startTestServer({ home });
    expect((await asSession(second, token, '/admin/v1/agents')).status).toBe(401);
  });

  it('the window is served with a strict CSP and no framing, and clears an old session cookie', async () => {
    const t = await startTestServer();
    const page = await fetch(`${t.url}/app/`, { headers: { cookie: 'purser_session=old' } });
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('set-cookie')).toMatch(/^purser_session=; Max-Age=0/);
  });
});

describe('the owner token on disk', () => {
  it('headless mode keeps it 0600; desktop mode (its own secret) deletes it and writes none', async () => {
    const home = tmpHome();
    const headless = await startTestServer({ home });
    const file = join(home, 'owner-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await headless.server.close();

    const desktop = await startTestServer({ home, ownerToken: `pot_${'x'.repeat(40)}` });
    expect(existsSync(file)).toBe(false);
    expect(desktop.server.info.mode).toBe('desktop');
  });
});
