import { describe, expect, it } from 'vitest';
import { isId, newId, randomBase62 } from '../../electron/core/ids';
import { ID_PREFIXES, type IdKind } from '../../shared/domain';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KINDS = Object.keys(ID_PREFIXES) as IdKind[];

describe('randomBase62', () => {
  it.each([0, 1, 2, 20, 32, 100, 1000])('returns exactly %i characters', (n) => {
    expect(randomBase62(n)).toHaveLength(n);
  });

  it('uses only base62 characters', () => {
    for (let i = 0; i < 200; i++) expect(randomBase62(64)).toMatch(/^[0-9A-Za-z]{64}$/);
  });

  it('uses every one of the 62 characters', () => {
    const seen = new Set(randomBase62(62 * 200));
    expect([...seen].sort().join('')).toBe([...BASE62].sort().join(''));
  });

  it('is not biased towards the first characters of the alphabet', () => {
    // Without rejecting bytes ≥ 248, `byte % 62` would make '0'–'7' 5/256 likely each
    // instead of 1/62: together 15.6 % instead of 12.9 %. With n = 124,000 the standard
    // deviation of the observed share is about 0.1 %, so ±0.6 % tells the two apart.
    const text = randomBase62(124_000);
    let low = 0;
    for (const ch of text) if (ch >= '0' && ch <= '7') low += 1;
    const share = low / text.length;
    expect(share).toBeGreaterThan(8 / 62 - 0.006);
    expect(share).toBeLessThan(8 / 62 + 0.006);
  });

  it('does not repeat itself', () => {
    const values = new Set(Array.from({ length: 2000 }, () => randomBase62(20)));
    expect(values.size).toBe(2000);
  });
});

describe('newId', () => {
  it.each(KINDS)('%s ids carry their prefix and 20 base62 characters', (kind) => {
    const id = newId(kind);
    expect(id).toMatch(new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-Za-z]{20}$`));
    expect(isId(kind, id)).toBe(true);
  });

  it('uses the documented prefixes', () => {
    expect(newId('agent').startsWith('agt_')).toBe(true);
    expect(newId('key').startsWith('key_')).toBe(true);
    expect(newId('spendRequest').startsWith('req_')).toBe(true);
    expect(newId('budgetRequest').startsWith('breq_')).toBe(true);
    expect(newId('receipt').startsWith('rcpt_')).toBe(true);
    expect(newId('fundingSource').startsWith('fs_')).toBe(true);
  });

  it('makes unique ids', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newId('spendRequest')));
    expect(ids.size).toBe(5000);
  });
});

describe('isId', () => {
  const body = 'A1b2C3d4E5f6G7h8I9j0';

  it('accepts a well-formed id of the right kind', () => {
    expect(isId('agent', `agt_${body}`)).toBe(true);
    expect(isId('budgetRequest', `breq_${body}`)).toBe(true);
  });

  it('refuses an id of another kind', () => {
    for (const kind of KINDS) {
      for (const other of KINDS) {
        if (other !== kind) expect(isId(kind, newId(other)), `${kind} vs ${other}`).toBe(false);
      }
    }
  });

  it('refuses a wrong length', () => {
    expect(isId('agent', `agt_${body.slice(1)}`)).toBe(false);
    expect(isId('agent', `agt_${body}x`)).toBe(false);
    expect(isId('agent', 'agt_')).toBe(false);
    expect(isId('agent', '')).toBe(false);
  });

  it('refuses characters outside base62 and a missing underscore', () => {
    for (const bad of ['-', '_', ' ', '.', '+', '/', '=', 'é', '\n']) {
      expect(isId('agent', `agt_${body.slice(0, 19)}${bad}`), JSON.stringify(bad)).toBe(false);
    }
    expect(isId('agent', `agtX${body}`)).toBe(false);
    expect(isId('agent', `AGT_${body}`)).toBe(false);
  });

  it("does not confuse 'req' and 'breq'", () => {
    expect(isId('spendRequest', `breq_${body}`)).toBe(false);
    expect(isId('spendRequest', `req_${body}`)).toBe(true);
    expect(isId('budgetRequest', `req_${body}x`)).toBe(false);
  });
});

describe('ids sort by creation time', () => {
  it('an id made later sorts after one made earlier', async () => {
    const first = newId('spendRequest');
    await new Promise((resolve) => setTimeout(resolve, 3));
    const second = newId('spendRequest');
    expect(second.slice(0, 12) > first.slice(0, 12)).toBe(true);
  });
});
