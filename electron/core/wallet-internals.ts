import type { Wallet } from './wallet';
import type { WalletDeps } from './wallet-deps';

/**
 * The wallet's repositories, for tests and benchmarks that check invariants against the
 * tables themselves (the ledger sums, the meters, the rows a crash left). The shells — the
 * API, the CLI, the desktop app, MCP — may not import this (eslint.config.mjs): they reach
 * the core through its services only.
 */
export function walletInternals(wallet: Wallet): WalletDeps {
  // TypeScript allows element access to a private member; this is the one place that does.
  return wallet['deps'];
}
