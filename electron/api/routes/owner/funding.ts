import { centsToMicros } from '../../../../shared/money';
import type { RouteContext } from '../../context';
import type { OwnerHandlerGroup } from '../../owner-routes';
import { ownerFundingView, settingsView } from '../../owner-views';

type FundingRoutes =
  | 'listFundingSources'
  | 'deposit'
  | 'setFundingLimit'
  | 'getSettings'
  | 'updateSettings'
  | 'freeze'
  | 'unfreeze';

/** Funding sources, deposits, limits; workspace settings and the freeze. */
export function ownerFundingHandlers({ wallet }: RouteContext): OwnerHandlerGroup<FundingRoutes> {
  return {
    listFundingSources: () => ({ funding_sources: wallet.funding.list().map(ownerFundingView) }),
    deposit: async ({ body }) =>
      ownerFundingView(
        await wallet.funding.deposit(
          { fundingSourceId: body.funding_source_id, mode: body.mode },
          centsToMicros(body.amount_cents),
        ),
      ),
    setFundingLimit: async ({ params, body }) => {
      const { limit_cents, period, window } = body;
      const limit =
        limit_cents === null
          ? null
          : {
              amount: centsToMicros(limit_cents),
              period: period ?? 'monthly',
              window: window ?? 'calendar',
            };
      return ownerFundingView(await wallet.funding.setLimit(params.id, limit));
    },
    getSettings: () => settingsView(wallet.settings.get()),
    updateSettings: async ({ body }) => {
      const { time_zone, pending_expiry_hours, global_cap, notifications, start_at_login } = body;
      return settingsView(
        await wallet.settings.update({
          timeZone: time_zone,
          pendingExpiryHours: pending_expiry_hours,
          notifications,
          startAtLogin: start_at_login,
          globalCap:
            global_cap === undefined
              ? undefined
              : global_cap && {
                  amount: centsToMicros(global_cap.amount_cents),
                  period: global_cap.period,
                  window: global_cap.window,
                },
        }),
      );
    },
    freeze: async () => settingsView(await wallet.settings.setFrozen(true)),
    unfreeze: async () => settingsView(await wallet.settings.setFrozen(false)),
  };
}
