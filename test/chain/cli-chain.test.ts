/**
 * The owner's `purser chain …` commands against `purser serve` as a child process, on a
 * real Hardhat node: configure the chain, import the owner's key from a file, give an agent
 * a wallet and fund it, grant and revoke an allowance. No key is ever printed or stored in
 * the clear.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentWithKey, runCli, startServe } from '../helpers/cli';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';
import { balanceOf, findLeakedKeys, PASSPHRASE, startChainWorld, type ChainWorld } from './world';

let w: ChainWorld;
beforeAll(async () => {
  w = await startChainWorld();
});
afterAll(async () => {
  await w?.stop();
  cleanupTmpDirs();
});

it('configures the chain, the owner account, a wallet, funding and an allowance from the CLI', async () => {
  const home = tmpHome();
  process.env.PURSER_PASSPHRASE = PASSPHRASE;
  const server = await startServe(home);
  delete process.env.PURSER_PASSPHRASE;
  const outputs: string[] = [];
  const cli = async (...args: string[]) => {
    const r = await runCli(['--home', home, ...args]);
    outputs.push(r.stdout, r.stderr);
    if (r.code !== 0) throw new Error(`purser ${args.join(' ')} → ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  try {
    expect(server.output()).toContain('chain keys:  unlocked');
    const set = await cli(
      'chain',
      'set',
      'local',
      '--rpc',
      w.node.rpcUrl,
      '--chain-id',
      '31337',
      '--usdc',
      w.usdc.address,
      '--usdc-decimals',
      '6',
      '--usdc-name',
      'USDC',
      '--usdc-version',
      '2',
    );
    expect(set).toContain('local (eip155:31337) configured');
    // A wrong domain is caught against the token itself.
    const wrong = await runCli([
      '--home',
      home,
      'chain',
      'set',
      'local',
      '--rpc',
      w.node.rpcUrl,
      '--chain-id',
      '31337',
      '--usdc',
      w.usdc.address,
      '--usdc-decimals',
      '18',
      '--usdc-name',
      'USDC',
      '--usdc-version',
      '2',
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/6 decimals, not 18/);

    const keyDir = tmpHome();
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    const keyFile = join(keyDir, 'owner-key');
    writeFileSync(keyFile, `${w.owner.privateKey}\n`, { mode: 0o600 });
    expect(await cli('chain', 'owner', '--import-key-file', keyFile)).toContain(
      `owner account ${w.owner.address} (key sealed)`,
    );

    const { id, key } = await agentWithKey(home, 'cli-wallet-agent', ['--budget-cents', '1000']);
    const wallet = await cli('chain', 'wallet', id, '--json');
    const address = (JSON.parse(wallet) as { address: `0x${string}` }).address;
    expect(await cli('chain', 'fund', id, '--cents', '300')).toMatch(
      /sent \$3\.00 .*0x[0-9a-f]{64}/,
    );
    expect(await balanceOf(w, address)).toBe(3_000_000n);
    expect(await cli('chain', 'show')).toContain(`wallet of ${id}  ${address}  local $3.00`);
    // The agent sees its wallet too, never its key.
    const balance = await runCli(['balance'], { PURSER_KEY: key, PURSER_URL: server.url });
    expect(balance.code).toBe(0);
    expect(balance.stdout).toContain(`wallet ${address} (held by Purser): local $3.00`);
    outputs.push(balance.stdout);

    expect(await cli('chain', 'allow', id, w.external.address, '--cents', '150')).toMatch(
      /active .* 1500000 units/,
    );
    expect(await cli('chain', 'revoke', id)).toMatch(/revoked/);
    expect(await cli('chain', 'sync')).toMatch(/local: to block \d+/);
  } finally {
    await server.stop();
  }
  const joined = outputs.join('\n') + server.output();
  expect(joined).not.toContain(PASSPHRASE);
  const { leaks } = await findLeakedKeys(home, [joined], [w.owner.privateKey]);
  expect(leaks).toEqual([]);
}, 120_000);
