import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { bucketAxis, cssColor, mountPlot, usdAxis } from './chart-parts';
import {
  chartCaption,
  chartWindows,
  spendPerWindow,
  windowLabel,
  type ChartSpec,
  type CountedEntry,
} from '../../../shared/forecast';
import { centsToMicros, formatUsd, MICROS_PER_CENT, type Micros } from '../../../shared/money';
import type { AgentView } from '../../../shared/schemas/owner-api';

const HEIGHT = 150;

/** A bar's height in cents, for drawing only: what is shown in words comes from micros. */
const plotCents = (micros: Micros) => Number(micros) / Number(MICROS_PER_CENT);

/**
 * What the agent spent in each of its last windows (uPlot bars), the current window
 * highlighted and windows over the budget in red, with the budget as a dashed line. The
 * canvas is hidden from screen readers, who get the same figures as a table.
 */
export function SpendChart({
  agent,
  entries,
  timeZone,
  now,
}: {
  agent: AgentView;
  entries: CountedEntry[] | undefined;
  timeZone: string;
  now: number;
}) {
  const { period, window: windowKind } = agent.policy;
  const budgetCents = agent.policy.budget_cents;
  // Windows move when one ends, not every tick: key them by the current window's start.
  const spec: ChartSpec = useMemo(
    () => ({ period, windowKind, timeZone }),
    [period, windowKind, timeZone],
  );
  const windows = useMemo(() => chartWindows(spec, now), [spec, now]);
  const sums = useMemo(() => spendPerWindow(windows, entries ?? []), [windows, entries]);
  const labels = useMemo(() => windows.map((w) => windowLabel(w, spec)), [windows, spec]);
  const budgetMicros = centsToMicros(budgetCents);
  const perWindowBudget = period !== 'total' && budgetCents > 0;
  const dataKey = `${labels.join('|')}#${sums.join('|')}#${budgetCents}#${period}`;

  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || entries === undefined) return;
    const accent = cssColor(el, '--accent', '#1565c0');
    const past = cssColor(el, '--chart-past', '#90a9cf');
    const bad = cssColor(el, '--bad', '#c62828');
    const axis = cssColor(el, '--text-faint', '#666');
    const grid = cssColor(el, '--border-2', '#eee');
    const n = windows.length;
    const xs = windows.map((_, i) => i);
    const value = (i: number) => plotCents(sums[i] ?? 0n);
    const over = (i: number) => perWindowBudget && (sums[i] ?? 0n) > budgetMicros;
    // No bar at all for a window without spend (a zero-height bar still draws a line).
    const pick = (test: (i: number) => boolean) =>
      xs.map((i) => (test(i) && (sums[i] ?? 0n) !== 0n ? value(i) : null));
    const current = (i: number) => windows[i]?.current === true;
    const bars = uPlot.paths.bars?.({ size: [0.7, 44], radius: 0.15 });
    const series: uPlot.Series[] = [
      {},
      { label: 'Spent', fill: past, stroke: past, paths: bars, points: { show: false } },
      { label: 'This window', fill: accent, stroke: accent, paths: bars, points: { show: false } },
      { label: 'Over budget', fill: bad, stroke: bad, paths: bars, points: { show: false } },
    ];
    const data: uPlot.AlignedData = [
      xs,
      pick((i) => !current(i) && !over(i)),
      pick((i) => current(i) && !over(i)),
      pick(over),
    ];
    if (perWindowBudget) {
      series.push({
        label: 'Budget',
        stroke: bad,
        width: 1,
        dash: [4, 4],
        points: { show: false },
      });
      data.push(xs.map(() => budgetCents));
    }
    const top = Math.max(...xs.map(value), perWindowBudget ? budgetCents : 0, 100);
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: [-0.5, n - 0.5] },
        y: { range: [0, top * 1.12] },
      },
      axes: [
        // As many labels as fit, the current window's always among them.
        bucketAxis(axis, labels, (width) => {
          const fit = Math.max(1, Math.floor((width - 60) / 64));
          const every = Math.ceil(n / fit);
          return xs.filter((i) => (n - 1 - i) % every === 0);
        }),
        usdAxis(axis, grid, 52),
      ],
      series,
    };
    return mountPlot(opts, data, el);
    // Rebuilt when the figures change (dataKey), not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataKey, entries === undefined]);

  const caption = chartCaption(spec, windows.length);
  const none = entries !== undefined && sums.every((sum) => sum === 0n);
  return (
    <figure className="spend-chart">
      <figcaption>{caption}</figcaption>
      {entries === undefined ? (
        <div className="spend-chart-plot loading">Loading spend…</div>
      ) : (
        <div className="spend-chart-frame">
          <div className="spend-chart-plot" ref={host} aria-hidden="true" />
          {none && <p className="spend-chart-none">No spend in these windows yet.</p>}
        </div>
      )}
      {entries !== undefined && (
        <table className="sr-only">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col">Spent</th>
            </tr>
          </thead>
          <tbody>
            {windows.map((w, i) => (
              <tr key={w.start}>
                <th scope="row">
                  {labels[i]}
                  {w.current ? ' (this window)' : ''}
                </th>
                <td>{formatUsd(sums[i] ?? 0n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}
