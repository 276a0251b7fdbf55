import { meterBasisPoints, meterLevel } from '../../../shared/forecast';
import { formatUsd, microsFromString } from '../../../shared/money';
import type { Period, WindowKind } from '../../../shared/domain';
import type { OverviewAnswer } from '../stores/overview';

type ModeSpend = OverviewAnswer['spend'][number];

const PERIOD_WORDS: Record<WindowKind, Record<Period, string>> = {
  calendar: { daily: 'Today', weekly: 'This week', monthly: 'This month', total: 'In total' },
  rolling: {
    daily: 'Last 24 hours',
    weekly: 'Last 7 days',
    monthly: 'Last 30 days',
    total: 'In total',
  },
};

const usd = (micros: string) => formatUsd(microsFromString(micros));

/** This period against the global cap: a bar, spent and left; or the spend and "no cap". */
function PeriodFigure({ period }: { period: ModeSpend['period'] }) {
  const title = PERIOD_WORDS[period.window_kind][period.period];
  if (period.cap_micros === null || period.left_micros === null)
    return (
      <div className="overview-figure" data-figure="period">
        <h4>{title}</h4>
        <p className="overview-amount money">{usd(period.spent_micros)}</p>
        <p className="overview-note">
          spent · no global cap (<a href="#/settings">set one</a>)
        </p>
      </div>
    );
  const spent = microsFromString(period.spent_micros);
  const cap = microsFromString(period.cap_micros);
  const level = meterLevel(spent, cap);
  return (
    <div className="overview-figure" data-figure="period">
      <h4>{title}</h4>
      <p className="overview-amount money">{usd(period.spent_micros)}</p>
      <p className="overview-note">
        of the <span className="money">{usd(period.cap_micros)}</span> global cap ·{' '}
        {period.over_cap ? (
          <strong className="warn-text">over the cap</strong>
        ) : (
          <>
            <span className="money">{usd(period.left_micros)}</span> left
          </>
        )}
      </p>
      <div
        className={`overview-bar level-${level}`}
        role="meter"
        aria-label="Global cap used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={meterBasisPoints(spent, cap) / 100}
        aria-valuetext={`${usd(period.spent_micros)} of ${usd(period.cap_micros)}`}
      >
        <div style={{ width: `${meterBasisPoints(spent, cap) / 100}%` }} />
      </div>
    </div>
  );
}

/**
 * What every agent spent together, live money first: today and this period. Test-mode
 * money is a sandbox's: it shows only once some was spent.
 */
export function OverviewSpend({ spend }: { spend: ModeSpend[] }) {
  const live = spend.find((s) => s.mode === 'live');
  const test = spend.find((s) => s.mode === 'test');
  const testSpent =
    test !== undefined &&
    (microsFromString(test.today.spent_micros) > 0n ||
      microsFromString(test.period.spent_micros) > 0n);
  return (
    <section className="overview-panel overview-spend" aria-labelledby="overview-spend">
      <h3 id="overview-spend">Spent across all agents</h3>
      {live && (
        <div className="overview-figures">
          <div className="overview-figure" data-figure="today">
            <h4>Today</h4>
            <p className="overview-amount money">{usd(live.today.spent_micros)}</p>
            <p className="overview-note">spent, live money</p>
          </div>
          <PeriodFigure period={live.period} />
        </div>
      )}
      {test && testSpent && (
        <p className="overview-note" data-figure="test">
          Test mode: <span className="money">{usd(test.today.spent_micros)}</span> today,{' '}
          <span className="money">{usd(test.period.spent_micros)}</span>{' '}
          {PERIOD_WORDS[test.period.window_kind][test.period.period].toLowerCase()}.
        </p>
      )}
    </section>
  );
}
