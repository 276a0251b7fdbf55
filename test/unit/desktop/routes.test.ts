import { describe, expect, it } from 'vitest';
import {
  appUrl,
  isLoginUrl,
  parseAppRoute,
  requestRoute,
  routeToApply,
} from '../../../electron/desktop/routes';

const ORIGIN = 'http://127.0.0.1:8402';
const SPEND = 'req_0A1b2C3d4E5f6G7h8I9j';
const BUDGET = 'breq_0A1b2C3d4E5f6G7h8I9j';

describe('routes of the owner window', () => {
  it('a spend request opens on its own; a budget request opens the approvals list', () => {
    expect(requestRoute(SPEND)).toBe(`#/approvals/${SPEND}`);
    expect(requestRoute(BUDGET)).toBe('#/approvals');
    expect(requestRoute('req_short')).toBe('#/approvals');
  });

  it('every route the shell opens is one the window itself understands', async () => {
    // The window's own route parser (renderer/src/app.tsx), loaded by path so that this
    // Node-only test project need not compile the renderer's JSX.
    const app = '../../../renderer/src/app';
    const { parse } = (await import(app)) as {
      parse(hash: string): { page: string; id?: string | null };
    };
    for (const route of [
      '#/overview',
      '#/spending',
      requestRoute(SPEND),
      requestRoute(BUDGET),
      '#/agents',
      '#/wallet',
      '#/ledger',
      '#/settings',
    ])
      expect(parse(route).page, route).not.toBe('not_found');
    expect(parse(requestRoute(SPEND))).toEqual({ page: 'approvals', id: SPEND });
    // The Overview is the first page: the bare address and a login link's land there.
    for (const first of ['', '#', '#/', '#/overview', '#code=abcdefghijklmnop'])
      expect(parse(first), first).toEqual({ page: 'overview' });
    expect(parse('#/overview/x').page).toBe('not_found');
  });

  it('parseAppRoute keeps known routes and refuses the rest', () => {
    expect(parseAppRoute('#/approvals')).toBe('#/approvals');
    expect(parseAppRoute('#/approvals/')).toBe('#/approvals');
    expect(parseAppRoute(`#/approvals/${SPEND}`)).toBe(`#/approvals/${SPEND}`);
    expect(parseAppRoute('#/settings')).toBe('#/settings');
    expect(parseAppRoute('#/overview')).toBe('#/overview');
    expect(parseAppRoute('#/spending')).toBe('#/spending');
    for (const bad of [
      '#code=abcdefghijklmnopqrstuvwxyz',
      '#/approvals/../../admin',
      `#/approvals/${SPEND}/x`,
      '#/agents/agt_x',
      '#/unknown',
      'https://evil.example/',
      '/admin/v1/freeze',
      '',
    ])
      expect(parseAppRoute(bad), bad).toBeUndefined();
  });

  it('appUrl puts the route under /app/ on the wallet’s origin', () => {
    expect(appUrl(ORIGIN, `#/approvals/${SPEND}`)).toBe(`${ORIGIN}/app/#/approvals/${SPEND}`);
  });

  it('waits for the login code to be swapped before loading a route', () => {
    const login = `${ORIGIN}/app/#code=abcdefghijklmnopqrstuv`;
    expect(isLoginUrl(login)).toBe(true);
    expect(isLoginUrl(`${ORIGIN}/app/#/approvals`)).toBe(false);
    expect(routeToApply(login, `#/approvals/${SPEND}`)).toBeUndefined();
    expect(routeToApply(`${ORIGIN}/app/#/approvals`, `#/approvals/${SPEND}`)).toBe(
      `#/approvals/${SPEND}`,
    );
    expect(routeToApply(`${ORIGIN}/app/#/approvals`, undefined)).toBeUndefined();
  });
});
