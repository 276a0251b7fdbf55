import { Notification } from 'electron';
import { formatUsd, type Micros } from '../../shared/money';

/** One desktop notification per request that needs the owner; a click opens it. */
export function notifyPending(title: string, amount: Micros, body: string, open: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: `${title} ${formatUsd(amount)}`, body });
  notification.on('click', open);
  notification.show();
}

/** Something went over a limit, or an agent was paused. */
export function notifyAlert(message: string, open: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: 'Purser', body: message });
  notification.on('click', open);
  notification.show();
}
