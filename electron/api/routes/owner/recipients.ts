import type { RecipientView } from '../../../../shared/schemas/payouts';
import { toIso } from '../../../core/clock';
import type { Recipient } from '../../../core/rails/payouts/recipient-repository';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';

type RecipientRoutes = 'listRecipients' | 'addRecipient' | 'updateRecipient' | 'archiveRecipient';

export function recipientOut(
  r: Recipient & { lookalikeOf?: { name: string; address: string } | null },
): RecipientView {
  return {
    object: 'recipient',
    id: r.id,
    name: r.name,
    address: r.address,
    networks: r.networks,
    lookalike_of: r.lookalikeOf ?? null,
    created_at: toIso(r.createdAt),
    archived_at: r.archivedAt === null ? null : toIso(r.archivedAt),
  };
}

/** The owner's address book of payout recipients (docs/payouts.md). */
export function ownerRecipientHandlers({
  wallet,
}: RouteContext): OwnerHandlerGroup<RecipientRoutes> {
  const { recipients } = wallet.chain;
  // The look-alike flag is computed against the whole book, as the list shows it.
  const withFlag = (r: Recipient) =>
    recipientOut(recipients.list().find((x) => x.id === r.id) ?? r);
  return {
    listRecipients: () => ({ recipients: recipients.list().map(recipientOut) }),
    addRecipient: async ({ body }) =>
      withFlag(
        await recipients.add({
          name: body.name,
          address: body.address,
          ...(body.networks === undefined ? {} : { networks: body.networks }),
        }),
      ),
    updateRecipient: async ({ params, body }) =>
      withFlag(
        await recipients.update(params.id, {
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.networks === undefined ? {} : { networks: body.networks }),
        }),
      ),
    archiveRecipient: async ({ params }) => recipientOut(await recipients.archive(params.id)),
  };
}
