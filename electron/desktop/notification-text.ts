/**
 * The text of desktop notifications, and where a click on one takes the window. Agent
 * text (names, merchants, reasons, purposes) is text, never instructions to the desktop:
 * it goes through visible() (controls, bidi overrides and invisible characters shown as
 * escapes, shared/text/visible.ts), is cut to a length a notification can show, and on
 * Linux, where notification servers read the body as markup (the freedesktop
 * notification spec's body-markup: <b>, <a href>, <img src>), `&`, `<` and `>` are sent
 * as entities so that an agent cannot make a link or load an image in a notification.
 */
import { formatUsd, microsFromString, MICROS_PER_CENT } from '../../shared/money';
import { visible } from '../../shared/text/visible';
import { requestRoute, type AppRoute } from './routes';
import type { TrayNotice } from './tray-state';

export interface NotificationText {
  title: string;
  body: string;
  /** The window route a click opens. */
  route: AppRoute;
}

const NAME_MAX = 60;
const TEXT_MAX = 180;

/** At most `max` code points of `text`, then visible(); an ellipsis says it was cut. */
export function shown(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return visible(text);
  return `${visible(points.slice(0, max).join(''))}…`;
}

/** The body as the platform's notification server needs it. */
export function forPlatformBody(body: string, platform: NodeJS.Platform): string {
  if (platform !== 'linux') return body;
  return body.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function amountOfMicros(micros: string): string {
  try {
    return formatUsd(microsFromString(micros));
  } catch {
    return '';
  }
}

/** Alerts about an agent's standing open Agents (its card shows a reached budget level). */
const AGENT_ALERTS = new Set(['agent_paused', 'over_budget', 'budget_level']);

function alertRoute(kind: string): AppRoute {
  return AGENT_ALERTS.has(kind) ? '#/agents' : '#/approvals';
}

export function notificationText(notice: TrayNotice, platform: NodeJS.Platform): NotificationText {
  switch (notice.type) {
    case 'spend': {
      const { spend } = notice;
      const amount = amountOfMicros(spend.amount_micros);
      return {
        title: `${shown(spend.agent_name, NAME_MAX)} asks to spend ${amount}`.trim(),
        body: forPlatformBody(
          `${shown(spend.merchant_name, NAME_MAX)}: ${shown(spend.reason, TEXT_MAX)}`,
          platform,
        ),
        route: requestRoute(spend.id),
      };
    }
    case 'budget_request': {
      const { request } = notice;
      const amount = formatUsd(BigInt(request.requested_amount_cents) * MICROS_PER_CENT);
      return {
        title: `${shown(request.agent_name, NAME_MAX)} asks for a budget of ${amount}`,
        body: forPlatformBody(shown(request.purpose, TEXT_MAX), platform),
        route: requestRoute(request.id),
      };
    }
    case 'alert': {
      const { alert } = notice;
      return {
        title: `Purser: ${shown(alert.agent_name, NAME_MAX)}`,
        body: forPlatformBody(shown(alert.message, TEXT_MAX), platform),
        route: alertRoute(alert.kind),
      };
    }
  }
}

/** The notification that stands for the ones a burst held back. */
export function summaryText(count: number): NotificationText {
  return {
    title: count === 1 ? '1 more request waits for you' : `${count} more requests wait for you`,
    body: 'Open Purser to see them all.',
    route: '#/approvals',
  };
}

/**
 * One notification per new request, but a burst (an agent that files a hundred requests
 * at once) does not bury the desktop: after `limit` notifications within `windowMs`, the
 * rest are counted and shown as one summary once the window has passed.
 */
export class NotificationThrottle {
  private shownAt: number[] = [];
  private held = 0;

  constructor(
    private readonly limit = 4,
    private readonly windowMs = 10_000,
  ) {}

  /** Whether to show this notification now; if not, it is counted for the summary. */
  admit(now: number): boolean {
    this.shownAt = this.shownAt.filter((t) => now - t < this.windowMs);
    if (this.shownAt.length < this.limit) {
      this.shownAt.push(now);
      return true;
    }
    this.held += 1;
    return false;
  }

  /** When a summary is due: how many were held back (then forgotten), else 0. */
  flush(now: number): number {
    this.shownAt = this.shownAt.filter((t) => now - t < this.windowMs);
    if (this.held === 0 || this.shownAt.length >= this.limit) return 0;
    const held = this.held;
    this.held = 0;
    this.shownAt.push(now);
    return held;
  }

  get pending(): number {
    return this.held;
  }
}
