/**
 * The owner window's lock-down, decision by decision (electron/desktop/window-options.ts).
 * Electron cannot run here; these are the functions window.ts and main.ts wire into it.
 */
import { describe, expect, it } from 'vitest';
import {
  appOriginOf,
  checkIpcSender,
  contentSecurityPolicy,
  isAllowedNavigation,
  isAllowedRequest,
  isPermissionGranted,
  windowOpenDecision,
  windowOptions,
  withCsp,
} from '../../../electron/desktop/window-options';

const ORIGIN = 'http://127.0.0.1:8402';

describe('windowOptions', () => {
  const options = windowOptions({
    preload: '/app/out/preload/preload.cjs',
    title: 'Purser',
    devTools: false,
  });
  const prefs = options.webPreferences ?? {};

  it('isolates the page: context isolation, the sandbox, no Node anywhere', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps the web rules: web security on, no insecure content, no webview, no drag-and-drop navigation', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('loads the CommonJS preload it is given, hidden until ready, devtools as asked', () => {
    expect(prefs.preload).toBe('/app/out/preload/preload.cjs');
    expect(options.show).toBe(false);
    expect(prefs.devTools).toBe(false);
    expect(
      windowOptions({ preload: 'p.cjs', title: 'Purser', devTools: true }).webPreferences?.devTools,
    ).toBe(true);
  });

  it('never sets an option that loosens the defaults', () => {
    for (const key of [
      'enableBlinkFeatures',
      'additionalArguments',
      'partition',
      'offscreen',
      'plugins',
    ])
      expect(prefs).not.toHaveProperty(key);
  });
});

describe('appOriginOf', () => {
  it('accepts the wallet on 127.0.0.1 with a port, and nothing else', () => {
    expect(appOriginOf('http://127.0.0.1:8402')).toBe(ORIGIN);
    expect(appOriginOf('http://127.0.0.1:51234/')).toBe('http://127.0.0.1:51234');
    for (const bad of [
      'http://localhost:8402',
      'https://127.0.0.1:8402',
      'http://127.0.0.1',
      'http://10.0.0.1:8402',
      'not a url',
    ])
      expect(() => appOriginOf(bad)).toThrow();
  });
});

describe('isAllowedNavigation', () => {
  it('allows the owner window and its hash routes', () => {
    for (const url of [
      `${ORIGIN}/app/`,
      `${ORIGIN}/app`,
      `${ORIGIN}/app/#/approvals`,
      `${ORIGIN}/app/#/approvals/req_0000000000abcdefghij`,
      `${ORIGIN}/app/#code=abcdefghijklmnopqrstuv`,
    ])
      expect(isAllowedNavigation(url, ORIGIN), url).toBe(true);
  });

  it('refuses every other origin, path, scheme and trick', () => {
    for (const url of [
      'https://evil.example/app/',
      'http://127.0.0.1:8403/app/',
      'http://localhost:8402/app/',
      `${ORIGIN}/admin/v1/approvals`,
      `${ORIGIN}/v1/openapi.json`,
      `${ORIGIN}/application`,
      `${ORIGIN}/`,
      'http://127.0.0.1:8402@evil.example/app/',
      'http://user:pw@127.0.0.1:8402/app/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      '',
      'not a url',
    ])
      expect(isAllowedNavigation(url, ORIGIN), url).toBe(false);
  });
});

describe('windowOpenDecision', () => {
  it('never opens an Electron window', () => {
    for (const url of ['https://docs.example/', `${ORIGIN}/app/`, 'file:///x', 'javascript:1'])
      expect(windowOpenDecision(url, ORIGIN).action).toBe('deny');
  });

  it('sends web pages elsewhere to the system browser, and nothing else', () => {
    expect(windowOpenDecision('https://basescan.org/tx/0x1', ORIGIN).openExternally).toBe(
      'https://basescan.org/tx/0x1',
    );
    for (const url of [
      `${ORIGIN}/app/#/agents`,
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://share/x',
      'ms-msdt:/id',
      'https://user:pw@example.com/',
      'nonsense',
    ])
      expect(windowOpenDecision(url, ORIGIN).openExternally, url).toBeNull();
  });
});

describe('isAllowedRequest', () => {
  it('lets network and file requests reach the wallet only', () => {
    expect(isAllowedRequest(`${ORIGIN}/admin/v1/events`, ORIGIN)).toBe(true);
    expect(isAllowedRequest(`${ORIGIN}/app/assets/index.js`, ORIGIN)).toBe(true);
    for (const url of [
      'https://cdn.example/x.js',
      'http://127.0.0.1:9999/',
      'ws://127.0.0.1:8402/',
      'file:///etc/hosts',
      'ftp://example.com/',
      'nonsense',
    ])
      expect(isAllowedRequest(url, ORIGIN), url).toBe(false);
  });

  it('leaves in-process schemes to the CSP', () => {
    expect(isAllowedRequest('data:image/png;base64,AAAA', ORIGIN)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/x.js', ORIGIN)).toBe(true);
  });
});

describe('contentSecurityPolicy', () => {
  const csp = contentSecurityPolicy(ORIGIN);
  const directives = new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );

  it('denies by default and allows only the app itself', () => {
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('script-src')).toBe("'self'");
    expect(directives.get('connect-src')).toBe(ORIGIN);
    for (const d of [
      'object-src',
      'frame-src',
      'child-src',
      'worker-src',
      'frame-ancestors',
      'base-uri',
      'form-action',
    ])
      expect(directives.get(d), d).toBe("'none'");
  });

  it('never allows inline or evaluated script, or another origin', () => {
    expect(csp).not.toMatch(
      /unsafe-eval|wasm-unsafe-eval|unsafe-hashes|https?:\/\/(?!127\.0\.0\.1:8402)/,
    );
    expect(directives.get('script-src')).not.toContain('unsafe-inline');
    expect(csp).not.toContain('*');
  });

  it('is added beside the server’s own policy, not instead of it', () => {
    const server = "default-src 'self'";
    expect(withCsp({ 'content-security-policy': [server], 'x-a': ['1'] }, csp)).toEqual({
      'content-security-policy': [server, csp],
      'x-a': ['1'],
    });
    expect(withCsp(undefined, csp)).toEqual({ 'Content-Security-Policy': [csp] });
  });
});

describe('permissions', () => {
  it('grants none, whatever is asked', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'clipboard-sanitized-write',
      'midi',
      'hid',
      'serial',
      'usb',
      'openExternal',
      'fullscreen',
      'pointerLock',
      'display-capture',
      'unknown',
    ])
      expect(isPermissionGranted(permission), permission).toBe(false);
  });
});

describe('checkIpcSender', () => {
  it('answers the owner window’s main frame on the app', () => {
    expect(checkIpcSender(`${ORIGIN}/app/#/approvals`, ORIGIN)).toBe(true);
  });

  it('ignores iframes, other webContents, other pages and other origins', () => {
    expect(checkIpcSender(`${ORIGIN}/app/`, ORIGIN, { mainFrame: false, appWindow: true })).toBe(
      false,
    );
    expect(checkIpcSender(`${ORIGIN}/app/`, ORIGIN, { mainFrame: true, appWindow: false })).toBe(
      false,
    );
    for (const url of [
      undefined,
      '',
      'https://evil.example/app/',
      `${ORIGIN}/admin/v1/session`,
      'http://127.0.0.1:8403/app/',
      'file:///app/',
      'devtools://devtools/',
    ])
      expect(checkIpcSender(url, ORIGIN), String(url)).toBe(false);
  });
});
