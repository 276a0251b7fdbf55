import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';
import type { Abi, Hex } from 'viem';

export interface CompiledContract {
  abi: Abi;
  /** Creation code, for deployContract. */
  bytecode: Hex;
  /** Runtime code, for placing a contract at a fixed address (hardhat_setCode). */
  deployedBytecode: Hex;
}

export type ContractName = 'TestUSDC' | 'Multicall3' | 'Permit2Lite' | 'X402UptoProxy';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const contractsDir = fileURLToPath(new URL('./contracts/', import.meta.url));
const cacheDir = join(repoRoot, 'node_modules', '.cache', 'purser-test-chain');
const require = createRequire(import.meta.url);
const ozRoot = dirname(require.resolve('@openzeppelin/contracts/package.json'));
const OZ_PREFIX = '@openzeppelin/contracts/';

// Hardhat 2.29 defaults to a later hardfork; cancun bytecode runs there and has the opcodes
// (mcopy, transient storage) OpenZeppelin 5 may use.
const settings = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

interface SolcContract {
  abi: Abi;
  evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
}

interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  contracts?: Record<string, Record<string, SolcContract>>;
}

/** solc's import callback: only OpenZeppelin, read from node_modules. */
function findImport(path: string): { contents: string } | { error: string } {
  if (!path.startsWith(OZ_PREFIX)) return { error: `not resolvable in tests: ${path}` };
  try {
    return { contents: readFileSync(join(ozRoot, path.slice(OZ_PREFIX.length)), 'utf8') };
  } catch (error) {
    return { error: String(error) };
  }
}

function compileNow(
  sources: Record<string, { content: string }>,
): Record<string, CompiledContract> {
  const input = { language: 'Solidity', sources, settings };
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), { import: findImport }) as string,
  ) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const compiled: Record<string, CompiledContract> = {};
  for (const file of Object.keys(sources)) {
    for (const [name, contract] of Object.entries(output.contracts?.[file] ?? {})) {
      compiled[name] = {
        abi: contract.abi,
        bytecode: `0x${contract.evm.bytecode.object}`,
        deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      };
    }
  }
  return compiled;
}

let compiled: Record<string, CompiledContract> | undefined;

/**
 * Every contract in test/chain/contracts, compiled with solc-js in one run. The first compile
 * takes seconds, so the result is cached under node_modules/.cache/purser-test-chain, keyed by
 * the sources, the compiler, OpenZeppelin's version and the settings.
 */
export function compiledContract(name: ContractName): CompiledContract {
  compiled ??= compileCached();
  const contract = compiled[name];
  if (!contract) throw new Error(`no contract ${name} in test/chain/contracts`);
  return contract;
}

function compileCached(): Record<string, CompiledContract> {
  const sources: Record<string, { content: string }> = {};
  for (const file of readdirSync(contractsDir)
    .filter((f) => f.endsWith('.sol'))
    .sort()) {
    sources[file] = { content: readFileSync(join(contractsDir, file), 'utf8') };
  }
  const ozVersion = (require('@openzeppelin/contracts/package.json') as { version: string })
    .version;
  const key = createHash('sha256')
    .update(JSON.stringify({ solc: solc.version() as string, ozVersion, settings, sources }))
    .digest('hex')
    .slice(0, 16);
  const file = join(cacheDir, `contracts-${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, CompiledContract>;
  } catch {
    // not cached yet
  }
  const result = compileNow(sources);
  mkdirSync(cacheDir, { recursive: true });
  // Write then rename, so a parallel test process never reads half a file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(result));
  renameSync(partial, file);
  return result;
}
