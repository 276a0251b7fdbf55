import { describe, expect, it } from 'vitest';
import { parseListenAddress } from '../../electron/api/agent-tls';

describe('--agent-listen ADDRESS:PORT', () => {
  it('takes an IPv4 or bracketed IPv6 address of this machine and a port', () => {
    expect(parseListenAddress('10.0.0.5:8403')).toEqual({ address: '10.0.0.5', port: 8403 });
    expect(parseListenAddress('[fd00::5]:8403')).toEqual({ address: 'fd00::5', port: 8403 });
  });

  it('refuses a wildcard (no Host to check against), a name, and a bad port, saying why', () => {
    expect(() => parseListenAddress('0.0.0.0:8403')).toThrow(/not a wildcard/);
    expect(() => parseListenAddress('[::]:8403')).toThrow(/not a wildcard/);
    expect(() => parseListenAddress('example.com:8403')).toThrow(/IP address/);
    expect(() => parseListenAddress('10.0.0.5:99999')).toThrow(/ADDRESS:PORT/);
    expect(() => parseListenAddress('10.0.0.5')).toThrow(/ADDRESS:PORT/);
  });
});
