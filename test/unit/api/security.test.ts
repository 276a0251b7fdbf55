/** The Host and Origin allow-lists alone, both before the server knows its port and after. */
import { describe, expect, it } from 'vitest';
import { isAllowedHost, isAllowedOrigin } from '../../../electron/api/security';

describe('isAllowedHost', () => {
  it('with the port known: a loopback name with exactly that port', () => {
    for (const host of ['127.0.0.1:4100', 'localhost:4100', 'LocalHost:4100', '[::1]:4100'])
      expect(isAllowedHost(host, 4100), host).toBe(true);
    for (const host of [
      '127.0.0.1',
      'localhost',
      '127.0.0.1:41000',
      '127.0.0.1:410',
      '127.0.0.1:4101',
      '127.0.0.1.nip.io:4100',
      'localhost.evil.example:4100',
      '[::1].evil.example:4100',
      'localhost:4100.evil.example',
      'evil.example:4100',
    ])
      expect(isAllowedHost(host, 4100), host).toBe(false);
  });

  it('before the server listens (no port yet): a loopback name, with any port or none', () => {
    for (const host of ['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]', '127.0.0.1:5173'])
      expect(isAllowedHost(host, undefined), host).toBe(true);
    for (const host of [
      '127.0.0.1.nip.io',
      '127.0.0.1.nip.io:5173',
      'localhost.evil.example',
      'localhost.evil.example:5173',
      '[::1].evil.example',
      'localhostevil.example',
      'evil.example',
      '',
    ])
      expect(isAllowedHost(host, undefined), host).toBe(false);
  });
});

describe('isAllowedOrigin', () => {
  it('only this server, exactly', () => {
    for (const origin of ['http://127.0.0.1:4100', 'http://localhost:4100', 'http://[::1]:4100'])
      expect(isAllowedOrigin(origin, 4100), origin).toBe(true);
    for (const origin of [
      'http://127.0.0.1:41000',
      'http://127.0.0.1:4100.evil.example',
      'http://localhost:4100@evil.example',
      'https://127.0.0.1:4100',
      'http://127.0.0.1',
      'null',
    ])
      expect(isAllowedOrigin(origin, 4100), origin).toBe(false);
  });

  it('refuses every Origin before the server knows its port', () => {
    expect(isAllowedOrigin('http://127.0.0.1:4100', undefined)).toBe(false);
  });
});
