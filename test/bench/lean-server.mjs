// The floor reference of docs/performance.md: the least a durable, idempotent, hash-chained
// decision can cost on this machine, with none of Purser's product around it. node:http and
// better-sqlite3; WAL, group commit, and an fdatasync of the WAL on the thread pool before
// any answer. Per spend: the key looked up, the body validated, a per-spend cap and a
// budget decided, a request row, a hash-chained ledger row, a usage upsert and an
// idempotency row (the key as primary key, so a random UUID lands on a random page).
//
// It is a yardstick, not a product: no policy beyond two numbers, no meters, no funding
// balance, no receipts, no conflicts detected beyond a body hash, no error envelope. The
// distance between it and `purser serve` in the same run is what Purser's promises and
// structure cost; the distance between it and fastify-server.mjs is the floor itself.
//
// Usage: node lean-server.mjs <home> <key>; prints "listening on http://127.0.0.1:PORT".
import Database from 'better-sqlite3';
import { hash, randomBytes } from 'node:crypto';
import { fdatasync, openSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const [home, key] = process.argv.slice(2);
if (!home || !key) throw new Error('usage: lean-server.mjs <home> <key>');
// The one-shot hash: no Hash object per call (Purser hashes the same way).
const sha256 = (data) => hash('sha256', data, 'buffer');

const db = new Database(join(home, 'lean.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL'); // the fdatasync below makes each batch durable
db.exec(`
  CREATE TABLE IF NOT EXISTS keys (hash BLOB PRIMARY KEY, agent TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS requests (
    id TEXT PRIMARY KEY, agent TEXT NOT NULL, status TEXT NOT NULL, amount INTEGER NOT NULL,
    merchant TEXT NOT NULL, reason TEXT NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS ledger (
    seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, data TEXT NOT NULL,
    prev_hash BLOB NOT NULL, hash BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS usage (
    agent TEXT NOT NULL, day INTEGER NOT NULL, spent INTEGER NOT NULL,
    PRIMARY KEY (agent, day)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS idempotency (
    agent TEXT NOT NULL, key TEXT NOT NULL, body_hash BLOB NOT NULL, request_id TEXT NOT NULL,
    created_at INTEGER NOT NULL, PRIMARY KEY (agent, key)) WITHOUT ROWID;
`);
db.prepare('INSERT OR IGNORE INTO keys VALUES (?, ?)').run(sha256(key), 'agent_bench');
const walFd = openSync(join(home, 'lean.db-wal'), 'r');

const q = {
  agentOf: db.prepare('SELECT agent FROM keys WHERE hash = ?').pluck(),
  seen: db.prepare('SELECT body_hash, request_id FROM idempotency WHERE agent = ? AND key = ?'),
  remember: db.prepare('INSERT INTO idempotency VALUES (?, ?, ?, ?, ?)'),
  spent: db.prepare('SELECT spent FROM usage WHERE agent = ? AND day = ?').pluck(),
  use: db.prepare(
    'INSERT INTO usage VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET spent = spent + excluded.spent',
  ),
  request: db.prepare('INSERT INTO requests VALUES (?, ?, ?, ?, ?, ?, ?)'),
  append: db.prepare('INSERT INTO ledger (ts, data, prev_hash, hash) VALUES (?, ?, ?, ?)'),
  head: db.prepare('SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1').pluck(),
};
let head = q.head.get() ?? Buffer.alloc(32);
const CAP = 10_000;
const BUDGET = 1e15;

function decide(agent, idemKey, spend) {
  const bodyHash = sha256(JSON.stringify(spend));
  if (idemKey) {
    const prior = q.seen.get(agent, idemKey);
    if (prior)
      return prior.body_hash.equals(bodyHash) ? { id: prior.request_id, replay: true } : null;
  }
  const now = Date.now();
  const day = Math.floor(now / 86_400_000);
  const spent = q.spent.get(agent, day) ?? 0;
  const status =
    spend.amount_cents <= CAP && spent + spend.amount_cents <= BUDGET ? 'approved' : 'declined';
  const id = `req_${now.toString(36)}${randomBytes(8).toString('hex')}`;
  q.request.run(id, agent, status, spend.amount_cents, spend.merchant_name, spend.reason, now);
  if (status === 'approved') q.use.run(agent, day, spend.amount_cents);
  const data = JSON.stringify({ type: 'spend', id, agent, status, amount: spend.amount_cents });
  const entryHash = sha256(Buffer.concat([head, Buffer.from(data)]));
  q.append.run(now, data, head, entryHash);
  head = entryHash;
  if (idemKey) q.remember.run(agent, idemKey, bodyHash, id, now);
  return { id, status, remaining_budget_cents: BUDGET - spent - spend.amount_cents };
}

// Group commit: every job queued in one turn of the event loop shares a transaction; the
// fdatasync that follows a COMMIT covers it, and nobody is answered before theirs ends.
let queue = [];
let waiting = [];
let syncing = false;
function flush() {
  const jobs = queue;
  queue = [];
  db.exec('BEGIN IMMEDIATE');
  for (const job of jobs) job.result = decide(job.agent, job.key, job.spend);
  db.exec('COMMIT');
  waiting.push(...jobs);
  sync();
}
function sync() {
  if (syncing || waiting.length === 0) return;
  syncing = true;
  const covered = waiting;
  waiting = [];
  fdatasync(walFd, (error) => {
    syncing = false;
    for (const job of covered) job.answer(error ? undefined : job.result);
    sync();
  });
}

const send = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
};
createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const agent = bearer && q.agentOf.get(sha256(bearer));
    if (!agent) return send(res, 401, { error: 'unauthorized' });
    let spend;
    try {
      spend = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { error: 'invalid_json' });
    }
    if (
      !Number.isSafeInteger(spend?.amount_cents) ||
      spend.amount_cents <= 0 ||
      typeof spend.merchant_name !== 'string' ||
      typeof spend.reason !== 'string'
    )
      return send(res, 400, { error: 'invalid_request' });
    if (queue.length === 0) setImmediate(flush);
    queue.push({
      agent,
      key: req.headers['idempotency-key'],
      spend,
      answer: (result) =>
        result === undefined
          ? send(res, 500, { error: 'fsync_failed' })
          : result === null
            ? send(res, 409, { error: 'conflict' })
            : send(res, 200, result),
    });
  });
}).listen(0, '127.0.0.1', function () {
  process.stdout.write(`listening on http://127.0.0.1:${this.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
