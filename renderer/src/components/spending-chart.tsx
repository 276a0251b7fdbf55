import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatUsd, microsFromString, MICROS_PER_CENT } from '../../../shared/money';
import { bucketAxis, cssColor, mountPlot, usdAxis, useDarkScheme } from './chart-parts';
import type { SpendingAnswer } from '../stores/spending';

const HEIGHT = 220;
/** The series' colours, in the order of the series (the last one is "other"): styles of the page. */
export const SERIES_COLOURS = 7;

/** A bucket's start as the axis says it, in the owner's time zone: "14:00" or "Mar 14". */
export function bucketLabel(iso: string, bucket: 'hour' | 'day', timeZone: string): string {
  const options: Intl.DateTimeFormatOptions =
    bucket === 'hour'
      ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }
      : { month: 'short', day: 'numeric', timeZone };
  return new Intl.DateTimeFormat('en-US', options).format(new Date(iso));
}

export interface ChartLine {
  label: string;
  /** Its colour's number, 1 to SERIES_COLOURS (CSS `--series-N`). */
  colour: number;
}

/**
 * What each group spent in each bucket, stacked (uPlot bars): the groups that spent the most
 * from the bottom up, the rest together on top. The canvas is hidden from screen readers;
 * the table under the chart has the figures, and so does the visually hidden one here, per
 * bucket. A bucket whose releases outweigh its spending is drawn at zero: the tables say by
 * how much.
 */
export function SpendingChart({
  data,
  lines,
  caption,
}: {
  data: SpendingAnswer;
  lines: ChartLine[];
  caption: string;
}) {
  const labels = useMemo(
    () => data.buckets.map((b) => bucketLabel(b.start, data.bucket, data.time_zone)),
    [data],
  );
  const perBucket = useMemo(
    () =>
      data.buckets.map((_, i) =>
        data.series.reduce((sum, s) => sum + microsFromString(s.spent_micros[i] ?? '0'), 0n),
      ),
    [data],
  );
  const dark = useDarkScheme();
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const axis = cssColor(el, '--text-faint', '#666');
    const grid = cssColor(el, '--border-2', '#eee');
    const n = data.buckets.length;
    const xs = data.buckets.map((_, i) => i);
    const cents = (micros: string | undefined) =>
      Number(microsFromString(micros ?? '0')) / Number(MICROS_PER_CENT);
    // Stacked by hand: series k is drawn as the sum of series 0..k, the tallest first, so
    // that each shorter bar is drawn over the one above it.
    const stacked = data.series.map((_, k) =>
      xs.map((i) => {
        let sum = 0;
        for (let j = 0; j <= k; j += 1) sum += cents(data.series[j]?.spent_micros[i]);
        return Math.max(sum, 0);
      }),
    );
    const bars = uPlot.paths.bars?.({ size: [0.75, 40], radius: 0.1 });
    const order = data.series.map((_, k) => k).reverse();
    const series: uPlot.Series[] = [
      {},
      ...order.map((k) => {
        const colour = cssColor(el, `--series-${lines[k]?.colour ?? 1}`, '#1565c0');
        return {
          label: lines[k]?.label ?? '',
          fill: colour,
          stroke: colour,
          paths: bars,
          points: { show: false },
        };
      }),
    ];
    const plotData: uPlot.AlignedData = [
      xs,
      ...order.map((k) => (stacked[k] ?? []).map((v) => (v === 0 ? null : v))),
    ];
    const top = Math.max(100, ...(stacked.at(-1) ?? []));
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height: HEIGHT,
      legend: { show: false },
      cursor: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: false, range: [-0.5, Math.max(n, 1) - 0.5] },
        y: { range: [0, top * 1.1] },
      },
      axes: [
        bucketAxis(axis, labels, (width) => {
          const fit = Math.max(1, Math.floor((width - 60) / 56));
          const every = Math.ceil(n / fit);
          return xs.filter((i) => i % every === 0);
        }),
        usdAxis(axis, grid, 60),
      ],
      series,
    };
    return mountPlot(opts, plotData, el);
    // Drawn again when the palette changes (`dark`): a canvas does not follow CSS.
  }, [data, labels, lines, dark]);

  const none = data.series.length === 0;
  return (
    <figure className="spending-chart">
      <figcaption>{caption}</figcaption>
      <div className="spending-chart-frame">
        <div className="spending-chart-plot" ref={host} aria-hidden="true" />
        {none && <p className="spending-chart-none">Nothing spent in this range.</p>}
      </div>
      {!none && (
        <ul className="spending-legend" aria-label="Chart legend">
          {lines.map((line, k) => (
            <li key={k}>
              <span
                className="spending-swatch"
                style={{ background: `var(--series-${line.colour})` }}
                aria-hidden="true"
              />
              {line.label}
            </li>
          ))}
        </ul>
      )}
      <table className="sr-only">
        <caption>{caption}, per bucket</caption>
        <thead>
          <tr>
            <th scope="col">{data.bucket === 'hour' ? 'Hour' : 'Day'}</th>
            <th scope="col">Spent</th>
          </tr>
        </thead>
        <tbody>
          {data.buckets.map((b, i) => (
            <tr key={b.start}>
              <th scope="row">{labels[i]}</th>
              <td>{formatUsd(perBucket[i] ?? 0n)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
