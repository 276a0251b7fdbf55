/**
 * `purser/client`: what agents import. The client, its errors, `fetchWithPurser` and the
 * types live in their own files; this entry gathers them, so that no file of the client
 * imports another that imports it back.
 */
export { DEFAULT_URL, PurserClient } from './purser-client.js';
export { PurserApiError, PurserPaymentPendingError } from './errors.js';
export { fetchWithPurser, type PurserFetchOptions } from './fetch-with-purser.js';
export type * from './types.js';
