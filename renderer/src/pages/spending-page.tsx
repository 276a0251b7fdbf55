import { useEffect, useId, useMemo } from 'react';
import { formatUsd, microsFromString } from '../../../shared/money';
import { SPENDING_GROUPS, type SpendingGroup } from '../../../shared/spending';
import { visible } from '../../../shared/text/visible';
import { DataTable } from '../components/data-table';
import { SpendingChart, SERIES_COLOURS, type ChartLine } from '../components/spending-chart';
import { useSpending, type RangeKind, type SpendingAnswer } from '../stores/spending';
import { useWallet } from '../stores/wallet';
import './spending-page.css';

const KINDS: ReadonlyArray<readonly [RangeKind, string]> = [
  ['day', 'Day'],
  ['week', 'Week'],
  ['month', 'Month'],
  ['custom', 'Custom'],
];

/** Each grouping: its picker's text, its column's heading, and what entries of no key are. */
const GROUPS: Record<SpendingGroup, { text: string; column: string; none: string }> = {
  agent: { text: 'Agent', column: 'Agent', none: 'No agent' },
  merchant: { text: 'Merchant', column: 'Merchant', none: 'No merchant' },
  category: { text: 'Category', column: 'Category', none: 'No category' },
  rail: { text: 'Rail', column: 'Rail', none: 'No rail' },
};

type Group = SpendingAnswer['groups'][number];

/** A group as the owner reads it: the agent's name, or the text the agent sent, made visible. */
function groupLabel(group: SpendingGroup, g: { key: string | null; name: string | null }): string {
  if (g.key === null) return GROUPS[group].none;
  return visible(g.name ?? g.key);
}

/** "Mar 1 – Mar 31, 2026", in the owner's time zone (the range's end is exclusive). */
function rangeText(from: string, to: string, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone,
  });
  const time = new Intl.DateTimeFormat('en-US', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  const start = new Date(from);
  const lastMs = new Date(Date.parse(to) - 1);
  const whole = (d: Date) => time.format(d) === '00:00';
  const first = day.format(start);
  const last = day.format(lastMs);
  const ends = whole(start) && time.format(new Date(to)) === '00:00';
  if (!ends)
    return `${first} ${time.format(start)} – ${day.format(new Date(to))} ${time.format(new Date(to))}`;
  return first === last ? first : `${first} – ${last}`;
}

const attemptsText = (count: number, micros: string) =>
  count === 0 ? '0' : `${count} (${formatUsd(microsFromString(micros))})`;

function FigureCells({ g }: { g: SpendingAnswer['total'] }) {
  return (
    <>
      <td data-col="spent" className="num">
        {formatUsd(microsFromString(g.spent_micros))}
      </td>
      <td data-col="approved" className="num">
        {g.approved}
      </td>
      <td data-col="declined" className="num">
        {attemptsText(g.declined, g.declined_micros)}
      </td>
      <td data-col="refused" className="num">
        {attemptsText(g.refused, g.refused_micros)}
      </td>
    </>
  );
}

function Controls() {
  const id = useId();
  const kind = useSpending((s) => s.kind);
  const group = useSpending((s) => s.group);
  const mode = useSpending((s) => s.mode);
  const first = useSpending((s) => s.first);
  const last = useSpending((s) => s.last);
  const rangeError = useSpending((s) => s.rangeError);
  const { setKind, step, setDays, setGroup, setMode } = useSpending.getState();
  const unit = kind === 'custom' ? '' : kind;
  return (
    <form
      className="spending-controls"
      aria-label="Range and grouping"
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="spending-kinds" role="group" aria-label="Range">
        {KINDS.map(([k, text]) => (
          <button
            key={k}
            type="button"
            className={k === kind ? undefined : 'secondary'}
            aria-pressed={k === kind}
            onClick={() => setKind(k)}
          >
            {text}
          </button>
        ))}
      </div>
      {kind === 'custom' ? (
        <>
          <div className="spending-field">
            <label htmlFor={`${id}-first`}>First day</label>
            <input
              id={`${id}-first`}
              type="date"
              value={first}
              onChange={(e) => setDays(e.target.value, last)}
            />
          </div>
          <div className="spending-field">
            <label htmlFor={`${id}-last`}>Last day</label>
            <input
              id={`${id}-last`}
              type="date"
              value={last}
              onChange={(e) => setDays(first, e.target.value)}
            />
          </div>
        </>
      ) : (
        <div className="spending-step" role="group" aria-label={`Move by a ${unit}`}>
          <button type="button" className="secondary" onClick={() => step(-1)}>
            ← Previous {unit}
          </button>
          <button type="button" className="secondary" onClick={() => step(1)}>
            Next {unit} →
          </button>
        </div>
      )}
      <div className="spending-field">
        <label htmlFor={`${id}-group`}>Group by</label>
        <select
          id={`${id}-group`}
          value={group}
          onChange={(e) => setGroup(e.target.value as SpendingGroup)}
        >
          {SPENDING_GROUPS.map((g) => (
            <option key={g} value={g}>
              {GROUPS[g].text}
            </option>
          ))}
        </select>
      </div>
      <div className="spending-field">
        <label htmlFor={`${id}-mode`}>Mode</label>
        <select
          id={`${id}-mode`}
          value={mode}
          onChange={(e) => setMode(e.target.value as '' | 'live' | 'test')}
        >
          <option value="">Live and test</option>
          <option value="live">Live only</option>
          <option value="test">Test only</option>
        </select>
      </div>
      {rangeError && (
        <p role="alert" className="spending-range-error">
          {rangeError}
        </p>
      )}
    </form>
  );
}

/**
 * The Spending view (docs/spending.md): what was spent over a day, a week, a month or any
 * days, by agent, merchant, category or rail, as a chart and the table under it, with the
 * spend attempts declined and refused. Every figure is the server's sum of the ledger's
 * entries in the range, the entries the ledger export gives for it.
 */
export function SpendingPage() {
  const data = useSpending((s) => s.data);
  const error = useSpending((s) => s.error);
  const exporting = useSpending((s) => s.exporting);
  const zone = useWallet(
    (s) => s.settings?.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  useEffect(() => {
    useSpending.getState().open(zone);
    return useSpending.getState().close;
  }, [zone]);

  const group = data?.group_by ?? 'agent';
  const lines: ChartLine[] = useMemo(
    () =>
      (data?.series ?? []).map((s, k) => ({
        label: s.other ? 'Other' : groupLabel(group, s),
        colour: s.other ? SERIES_COLOURS : k + 1,
      })),
    [data, group],
  );
  const what = GROUPS[group].text.toLowerCase();
  const range = data ? rangeText(data.from, data.to, data.time_zone) : '';
  const modeText = data?.mode ? ` · ${data.mode} mode only` : '';
  return (
    <section className="spending" aria-labelledby="spending-title" data-ready={data !== null}>
      <h2 id="spending-title">Spending</h2>
      <Controls />
      {error && (
        <p role="alert" className="banner error">
          Could not read the spending: {error}
        </p>
      )}
      {data === null ? (
        !error && <p className="empty">Loading…</p>
      ) : (
        <>
          <div className="spending-summary" aria-label="In this range" role="group">
            <p className="spending-range" data-range-from={data.from} data-range-to={data.to}>
              {range}
              <span className="spending-zone">
                {' '}
                ({data.time_zone}
                {modeText})
              </span>
            </p>
            <p className="spending-total" data-figure="spent">
              {formatUsd(microsFromString(data.total.spent_micros))}
              <span className="spending-total-note"> spent</span>
            </p>
            <p className="spending-attempts">
              <span data-figure="approved">{data.total.approved} approved</span> ·{' '}
              <span data-figure="declined">{data.total.declined} declined</span> ·{' '}
              <span data-figure="refused">{data.total.refused} refused</span>
            </p>
            <button
              type="button"
              className="secondary"
              disabled={exporting}
              onClick={() => void useSpending.getState().exportRange()}
              title="Download every ledger entry of this range as CSV: the entries these figures add up"
            >
              {exporting ? 'Exporting…' : 'Export this range (CSV)'}
            </button>
          </div>
          <SpendingChart
            data={data}
            lines={lines}
            caption={`Spent per ${data.bucket}, by ${what}`}
          />
          <DataTable
            label={`Spending by ${what}`}
            columns={[GROUPS[group].column, 'Spent', 'Approved', 'Declined', 'Refused']}
            footer={
              <tr data-total>
                <th scope="row">Total</th>
                <FigureCells g={data.total} />
              </tr>
            }
          >
            {data.groups.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty">
                  No spending or spend attempts in this range.
                </td>
              </tr>
            ) : (
              data.groups.map((g: Group) => (
                <tr key={g.key ?? ''} data-group-key={g.key ?? ''}>
                  <th scope="row">{groupLabel(group, g)}</th>
                  <FigureCells g={g} />
                </tr>
              ))
            )}
          </DataTable>
          <p className="hint">
            Spent is what the ledger counts in the range: approvals and receipts add, settlements
            and releases take back. Declined and refused are attempts, with what they asked for;
            they spend nothing.
          </p>
        </>
      )}
    </section>
  );
}
