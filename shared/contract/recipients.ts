/** The owner's address book of payout recipients (docs/payouts.md). */
import { z } from 'zod';
import { recipientCreateBody, recipientPatchBody, recipientView } from '../schemas/payouts';
import { idRoute, type OwnerRouteSpec } from './route';

export const recipientRoutes = {
  /** Saved recipients, each flagged when its address looks like another's. */
  listRecipients: {
    method: 'GET',
    path: '/admin/v1/recipients',
    response: z.object({ recipients: z.array(recipientView) }),
  },
  addRecipient: {
    method: 'POST',
    path: '/admin/v1/recipients',
    body: recipientCreateBody,
    response: recipientView,
  },
  updateRecipient: idRoute({
    method: 'PATCH',
    path: '/admin/v1/recipients/:id',
    body: recipientPatchBody,
    response: recipientView,
  }),
  /** Archived: no new payout may name it; old payouts keep its name. */
  archiveRecipient: idRoute({
    method: 'DELETE',
    path: '/admin/v1/recipients/:id',
    response: recipientView,
  }),
} as const satisfies Record<string, OwnerRouteSpec>;
