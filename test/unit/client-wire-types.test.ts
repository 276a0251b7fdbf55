import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../electron/build/generate-wire-types';

describe("the client's wire types", () => {
  it('are what the schemas say today (regenerate: npx tsx electron/build/generate-wire-types.ts)', async () => {
    const committed = readFileSync(
      join(import.meta.dirname, '..', '..', 'shared', 'client', 'wire-types.ts'),
      'utf8',
    );
    expect(committed).toBe(await generate());
  }, 60_000);
});
