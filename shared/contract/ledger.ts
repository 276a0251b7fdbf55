/** The ledger for the owner: pages, the export file, chain verification (docs/ledger-format.md). */
import {
  ledgerExportQuery,
  ledgerQuery,
  verifyQuery,
  verifyStatusView,
  verifyView,
} from '../schemas/owner-api';
import { ledgerPage } from '../schemas/owner-answers';
import type { OwnerRouteSpec } from './route';

export const ledgerRoutes = {
  /** One page of the ledger, newest first. */
  ledgerPage: {
    method: 'GET',
    path: '/admin/v1/ledger',
    query: ledgerQuery,
    response: ledgerPage,
  },
  /** Every entry matching the filter, as a CSV or JSON file, streamed: no JSON answer. */
  ledgerExport: { method: 'GET', path: '/admin/v1/ledger/export', query: ledgerExportQuery },
  /**
   * Starts a verification (or joins the one running) and answers with its result once done;
   * with `?wait=false` it answers at once (202) with the progress.
   */
  verifyLedger: {
    method: 'POST',
    path: '/admin/v1/ledger/verify',
    query: verifyQuery,
    response: verifyView,
    accepted: verifyStatusView,
  },
  /** The verification under way (entries checked of the total), or the last one's result. */
  ledgerVerifyStatus: {
    method: 'GET',
    path: '/admin/v1/ledger/verify',
    response: verifyStatusView,
  },
} as const satisfies Record<string, OwnerRouteSpec>;
