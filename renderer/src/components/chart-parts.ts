import { useEffect, useState } from 'react';
import uPlot from 'uplot';
import { centsToMicros, formatUsd } from '../../../shared/money';

/*
 * What the window's two charts share (the agent's spend per window, the Spending view): the
 * dollar axis, the bucket axis, the palette read from the page's CSS, and the canvas that
 * follows its box's width. Bars and series are each chart's own.
 */

/** An axis tick in dollars: "$12", "$1,200", "$0.50". Ticks are positions, rounded to cents. */
export function tickUsd(value: number): string {
  const text = formatUsd(centsToMicros(Math.round(value)));
  return text.endsWith('.00') ? text.slice(0, -3) : text;
}

/** A colour of the design system (docs/design.md): a canvas does not follow CSS by itself. */
export function cssColor(el: HTMLElement, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

const FONT = '11px system-ui, sans-serif';

/** The bottom axis: one label per bucket that fits, chosen by `pick` among the indexes. */
export function bucketAxis(
  axis: string,
  labels: readonly string[],
  pick: (width: number) => number[],
): uPlot.Axis {
  return {
    stroke: axis,
    grid: { show: false },
    ticks: { show: false },
    size: 26,
    font: FONT,
    splits: (u) => pick(u.width),
    values: (_u, splits) => splits.map((i) => labels[i] ?? ''),
  };
}

/** The left axis, in dollars, with the grid lines. */
export function usdAxis(axis: string, grid: string, size: number): uPlot.Axis {
  return {
    stroke: axis,
    grid: { stroke: grid, width: 1 },
    ticks: { show: false },
    size,
    font: FONT,
    values: (_u, splits) => splits.map(tickUsd),
  };
}

/** Draws the chart into `el`, following its width; returns what takes it down again. */
export function mountPlot(
  opts: uPlot.Options,
  data: uPlot.AlignedData,
  el: HTMLElement,
): () => void {
  const plot = new uPlot(opts, data, el);
  const resize = new ResizeObserver(() =>
    plot.setSize({ width: Math.max(el.clientWidth, 200), height: opts.height }),
  );
  resize.observe(el);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}

/** Whether the OS asks for the dark palette, kept up to date, so a chart is drawn again in it. */
export function useDarkScheme(): boolean {
  const query = '(prefers-color-scheme: dark)';
  const [dark, setDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const onChange = () => setDark(media.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  return dark;
}
