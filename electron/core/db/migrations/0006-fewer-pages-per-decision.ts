import type { Migration } from '../types';

/**
 * One B-tree fewer written by every keyed decision (docs/performance.md, "Pages per
 * commit"). A group commit copies each page a decision touched into the WAL, and the COMMIT
 * is about a third of a decision's cost, so a B-tree fewer is a page fewer in every commit.
 *
 * `idempotency_created` goes: the idempotency table's rowid is its insertion order, and the
 * purge walks it from the oldest row (IdempotencyRepository.purgeOlderThan).
 *
 * Tried and left: `spend_requests` keyed by its time-ordered id `WITHOUT ROWID`. It merges
 * two B-trees, but its wide rows split leaves half-full where a rowid table packs appended
 * rows, and its other indexes then carry the 25-byte id instead of a rowid: the commit
 * wrote as many pages as before.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'fewer-pages-per-decision',
  up: `
    DROP INDEX idempotency_created;
  `,
};
