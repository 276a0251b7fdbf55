import { Notification } from 'electron';
import { NotificationThrottle, summaryText, type NotificationText } from './notification-text';
import type { AppRoute } from './routes';

/**
 * Desktop notifications: one per request that newly waits for the owner (the text comes
 * from notification-text.ts, agent text escaped there), a click opens that request. A
 * burst beyond the throttle becomes one summary. Each notification is kept referenced
 * until it is clicked or closed, or it could be collected before its click arrives.
 */
export class Notifier {
  private readonly live = new Set<Notification>();
  private readonly throttle = new NotificationThrottle();
  private summary: NodeJS.Timeout | undefined;

  constructor(private readonly open: (route: AppRoute) => void) {}

  show(text: NotificationText): void {
    if (!Notification.isSupported()) return;
    if (this.throttle.admit(Date.now())) this.display(text);
    else this.scheduleSummary();
  }

  private scheduleSummary(): void {
    if (this.summary) return;
    this.summary = setTimeout(() => {
      this.summary = undefined;
      const held = this.throttle.flush(Date.now());
      if (held > 0) this.display(summaryText(held));
      else if (this.throttle.pending > 0) this.scheduleSummary();
    }, 10_000);
  }

  private display(text: NotificationText): void {
    const notification = new Notification({ title: text.title, body: text.body });
    this.live.add(notification);
    notification.on('click', () => {
      this.live.delete(notification);
      this.open(text.route);
    });
    notification.on('close', () => this.live.delete(notification));
    notification.show();
  }

  close(): void {
    if (this.summary) clearTimeout(this.summary);
    for (const notification of this.live) notification.close();
    this.live.clear();
  }
}
