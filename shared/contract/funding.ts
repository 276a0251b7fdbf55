/** Funding sources, deposits and limits; workspace settings and the freeze; receipts. */
import {
  declineBody,
  depositBody,
  fundingLimitBody,
  fundingSourceView,
  settingsPatch,
  settingsView,
} from '../schemas/owner-api';
import { fundingSourceList } from '../schemas/owner-answers';
import { ownerReceiptPage, ownerReceiptsQuery, ownerReceiptView } from '../schemas/receipts';
import { idRoute, type OwnerRouteSpec } from './route';

export const fundingRoutes = {
  listFundingSources: {
    method: 'GET',
    path: '/admin/v1/funding-sources',
    response: fundingSourceList,
  },
  deposit: {
    method: 'POST',
    path: '/admin/v1/funding/deposit',
    body: depositBody,
    response: fundingSourceView,
  },
  setFundingLimit: idRoute({
    method: 'PUT',
    path: '/admin/v1/funding-sources/:id/limit',
    body: fundingLimitBody,
    response: fundingSourceView,
  }),
  getSettings: { method: 'GET', path: '/admin/v1/settings', response: settingsView },
  updateSettings: {
    method: 'PATCH',
    path: '/admin/v1/settings',
    body: settingsPatch,
    response: settingsView,
  },
  /** The panic button: every agent's spending is declined until unfrozen. */
  freeze: { method: 'POST', path: '/admin/v1/freeze', response: settingsView },
  unfreeze: { method: 'POST', path: '/admin/v1/unfreeze', response: settingsView },
  /** Payments agents reported making elsewhere, newest first. */
  listReceipts: {
    method: 'GET',
    path: '/admin/v1/receipts',
    query: ownerReceiptsQuery,
    response: ownerReceiptPage,
  },
  /** The owner accepts what a receipt claims: a held part counts, a settlement for less releases. */
  acceptReceipt: idRoute({
    method: 'POST',
    path: '/admin/v1/receipts/:id/accept',
    body: declineBody,
    response: ownerReceiptView,
  }),
  /** The owner disputes it: the shared limits and the request stay as they were. */
  disputeReceipt: idRoute({
    method: 'POST',
    path: '/admin/v1/receipts/:id/dispute',
    body: declineBody,
    response: ownerReceiptView,
  }),
} as const satisfies Record<string, OwnerRouteSpec>;
