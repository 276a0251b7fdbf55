import { chartWindows, DAY_MS, type CountedEntry } from '../../../shared/forecast';
import { microsFromString } from '../../../shared/money';
import type { AgentView } from '../../../shared/schemas/owner-api';
import { api } from '../api/client';
import { useWallet } from './wallet';

/** What an agent's usage chart shows: its counted ledger entries, read page by page. */

/** The owner's time zone (calendar windows), or this browser's until settings arrive. */
function timeZone(): string {
  return (
    useWallet.getState().settings?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  );
}

const LEDGER_PAGE = 1000;
const LEDGER_PAGES = 20;

/** Entries that counted money for `agent` since the first window its chart shows. */
export async function usageOf(agent: AgentView, now: number): Promise<CountedEntry[]> {
  const [first] = chartWindows(
    { period: agent.policy.period, windowKind: agent.policy.window, timeZone: timeZone() },
    now,
  );
  // A day early: a time zone that changes later still finds its entries.
  const from = new Date((first?.start ?? now) - DAY_MS).toISOString();
  const entries: CountedEntry[] = [];
  let before: number | undefined;
  for (let page = 0; page < LEDGER_PAGES; page += 1) {
    const result = await api.call('ledgerPage', {
      query: {
        agent_id: agent.id,
        from,
        limit: LEDGER_PAGE,
        before_seq: before,
      },
    });
    for (const e of result.entries) {
      const counted = microsFromString(e.counted_micros);
      if (counted !== 0n) entries.push({ ts: Date.parse(e.ts), counted });
    }
    if (result.next_before_seq === null) break;
    before = result.next_before_seq;
  }
  return entries;
}
