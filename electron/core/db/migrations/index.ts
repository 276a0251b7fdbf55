import type { Migration } from '../types';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-approvals-budgets-receipts';
import { migration0003 } from './0003-idempotency-by-hash';
import { migration0004 } from './0004-chain';
import { migration0005 } from './0005-money-integrity';
import { migration0006 } from './0006-fewer-pages-per-decision';
import { migration0007 } from './0007-payouts';
import { migration0008 } from './0008-mpp';
import { migration0009 } from './0009-x402-upto';
import { migration0010 } from './0010-unmatched-transfers';
import { migration0011 } from './0011-budget-alerts';
import { migration0012 } from './0012-ledger-spending-by-time';

/** Every migration, in order. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
];
