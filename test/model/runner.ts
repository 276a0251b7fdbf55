/**
 * One seed of the money model: the workload picks an action, the real core runs it, the
 * model predicts its answer from its own state, the two are compared, the model's state is
 * reconciled with the real one, and the auditor checks the rules. On the first difference
 * the run stops and says the seed, the step and the steps before it, and how to replay it.
 */
import { show, type Action, type Outcome } from './actions';
import type { Executed } from './execute';
import { execute } from './execute';
import { Auditor } from './auditor';
import { applyModel, type ModelExtension } from './model';
import type { ModelState } from './model-state';
import { Prng } from './prng';
import { reconcile } from './reconcile';
import type { World } from './setup';
import { Workload } from './workload';

export interface ChainPart {
  weights: Record<string, number>;
  build(kind: string, step: number): Action | undefined;
  execute(action: Action): Promise<Executed | undefined>;
  model: ModelExtension;
  subject(action: Action): string | null | undefined;
  /** After the model's reconciliation: what the chain part checks of its own state. */
  check(action: Action): void;
}

export interface SeedConfig {
  seed: number;
  steps: number;
  /** The command that replays this seed up to `step` (printed on failure). */
  replay(step: number): string;
  open(prng: Prng): Promise<{ world: World; model: ModelState; close(): Promise<void> }>;
  chain?: (world: World, model: ModelState, prng: Prng) => ChainPart;
  historySize?: number;
}

export interface SeedStats {
  seed: number;
  steps: number;
  zone: string;
  ms: number;
  kinds: Map<string, number>;
  tags: Map<string, number>;
}

function subjectOf(m: ModelState, a: Action): string | null {
  switch (a.t) {
    case 'spend':
    case 'cancel':
    case 'receipt':
    case 'budgetRequest':
    case 'declineAll':
    case 'status':
    case 'policy':
    case 'x402Pay':
    case 'fundWallet':
      return m.agent(a.agent).id;
    case 'approve':
    case 'decline':
    case 'settle':
      return m.spends.get(a.spendId)?.agentId ?? null;
    case 'accept':
    case 'dispute':
      return m.receipts.get(a.receiptId)?.agentId ?? null;
    case 'grantApprove':
    case 'grantReject':
      return m.grants.get(a.grantId)?.agentId ?? null;
    default:
      return null;
  }
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export async function runSeed(cfg: SeedConfig): Promise<SeedStats> {
  const started = performance.now();
  const prng = new Prng(cfg.seed);
  const { world, model, close } = await cfg.open(prng);
  const chain = cfg.chain?.(world, model, prng);
  const workload = new Workload(prng, model, cfg.steps, chain?.weights);
  const auditor = new Auditor(
    world,
    model.agents.map((a) => a.id),
  );
  const history: string[] = [];
  const stats: SeedStats = {
    seed: cfg.seed,
    steps: 0,
    zone: model.tz,
    ms: 0,
    kinds: new Map(),
    tags: new Map(),
  };
  let step = 0;
  let action: Action | undefined;
  try {
    for (step = 1; step <= cfg.steps; step += 1) {
      action = workload.next(step, chain && ((kind) => chain.build(kind, step)));
      const subject = chain?.subject(action) ?? subjectOf(model, action);
      auditor.start();
      const actual = await execute(world, action, chain?.execute);
      // The rules first (the auditor reads only the real state), then the predictions.
      auditor.check(action, actual.outcome, subject, step % 50 === 0 || step === cfg.steps);
      model.tags = [];
      let expected: Outcome;
      try {
        expected = applyModel(model, action, actual.minted, chain?.model);
      } catch (error) {
        throw new Error(
          `the model could not follow the core's answer ${show(actual.outcome)}: ${String(error)}`,
        );
      }
      if (show(expected) !== show(actual.outcome))
        throw new Error(
          `answer differs\n    core:  ${show(actual.outcome)}\n    model: ${show(expected)}`,
        );
      history.push(`#${step} ${show(action)} → ${show(actual.outcome)} [${model.tags.join(' ')}]`);
      if (history.length > (cfg.historySize ?? 30)) history.shift();
      reconcile(world, model);
      chain?.check(action);
      bump(stats.kinds, action.t);
      for (const tag of model.tags) bump(stats.tags, tag);
      stats.steps = step;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const report = [
      `money model failed: seed ${cfg.seed}, step ${step} of ${cfg.steps} (time zone ${model.tz})`,
      `  ${message}`,
      `  step ${step}: ${show(action)}`,
      `  replay: ${cfg.replay(step)}`,
      `  the steps before it (of ${history.length} kept):`,
      ...history.map((h) => `    ${h}`),
    ].join('\n');
    console.error(report);
    throw new Error(report, { cause: error });
  } finally {
    await close();
  }
  stats.ms = performance.now() - started;
  return stats;
}

/** One line for the whole run: seeds, steps, and how often each kind and outcome came up. */
export function summary(all: SeedStats[]): string {
  const kinds = new Map<string, number>();
  const tags = new Map<string, number>();
  for (const s of all) {
    for (const [k, n] of s.kinds) kinds.set(k, (kinds.get(k) ?? 0) + n);
    for (const [k, n] of s.tags) tags.set(k, (tags.get(k) ?? 0) + n);
  }
  const list = (m: Map<string, number>) =>
    [...m.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k}=${n}`)
      .join(' ');
  const steps = all.reduce((s, x) => s + x.steps, 0);
  const ms = all.reduce((s, x) => s + x.ms, 0);
  return `money model: seeds ${all.map((s) => `${s.seed}(${s.zone})`).join(',')}; ${steps} steps in ${(ms / 1000).toFixed(1)} s; kinds: ${list(kinds)}; outcomes: ${list(tags)}`;
}

export function merged(all: SeedStats[]): { kinds: Set<string>; tags: Set<string> } {
  return {
    kinds: new Set(all.flatMap((s) => [...s.kinds.keys()])),
    tags: new Set(all.flatMap((s) => [...s.tags.keys()])),
  };
}
