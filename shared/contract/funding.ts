/** Funding sources, deposits and limits; workspace settings and the freeze; receipts. */
import {
  depositBody,
  fundingLimitBody,
  fundingSourceView,
  ownerIdParams,
  settingsPatch,
  settingsView,
} from '../schemas/owner-api';
import { fundingSourceList } from '../schemas/owner-answers';
import { ownerReceiptPage, ownerReceiptsQuery } from '../schemas/receipts';
import type { OwnerRouteSpec } from './route';

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
  setFundingLimit: {
    method: 'PUT',
    path: '/admin/v1/funding-sources/:id/limit',
    params: ownerIdParams,
    body: fundingLimitBody,
    response: fundingSourceView,
  },
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
} as const satisfies Record<string, OwnerRouteSpec>;
