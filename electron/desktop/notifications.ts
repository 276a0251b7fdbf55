import { Notification } from 'electron';
import { formatUsd } from '../../shared/money';
import type { SpendRecord } from '../core/spend/spend-repository';

/** One desktop notification per request that needs the owner; a click opens it. */
export function notifyPending(
  record: SpendRecord,
  agentName: string,
  open: (id: string) => void,
): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({
    title: `${agentName} asks to spend ${formatUsd(record.amount)}`,
    body: `${record.merchantName}: ${record.reason}`,
  });
  notification.on('click', () => open(record.id));
  notification.show();
}
