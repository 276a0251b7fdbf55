import { ownerContract } from '../../../../shared/contract/owner';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { centsToMicros } from '../../../../shared/money';
import type { RouteContext, ZodApp } from '../../context';
import { ownerFundingView, settingsView } from '../../owner-views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

/** Funding sources, deposits, limits; workspace settings and the freeze. */
export function ownerFundingRoutes(app: ZodApp, { wallet }: RouteContext): void {
  app.get(
    ownerContract.listFundingSources.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.listFundingSources.response } },
    },
    async () => ({
      funding_sources: wallet.funding.list().map(ownerFundingView),
    }),
  );

  app.post(
    ownerContract.deposit.path,
    {
      config: owner,
      schema: {
        hide: true,
        body: ownerContract.deposit.body,
        response: { 200: ownerContract.deposit.response, ...errors },
      },
    },
    async (request) => {
      const { amount_cents, funding_source_id, mode } = request.body;
      return ownerFundingView(
        await wallet.funding.deposit(
          { fundingSourceId: funding_source_id, mode },
          centsToMicros(amount_cents),
        ),
      );
    },
  );

  app.put(
    ownerContract.setFundingLimit.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.setFundingLimit.params,
        body: ownerContract.setFundingLimit.body,
        response: { 200: ownerContract.setFundingLimit.response, ...errors },
      },
    },
    async (request) => {
      const { limit_cents, period, window } = request.body;
      const limit =
        limit_cents === null
          ? null
          : {
              amount: centsToMicros(limit_cents),
              period: period ?? 'monthly',
              window: window ?? 'calendar',
            };
      return ownerFundingView(await wallet.funding.setLimit(request.params.id, limit));
    },
  );

  app.get(
    ownerContract.getSettings.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.getSettings.response } },
    },
    async () => settingsView(wallet.settings.get()),
  );

  app.patch(
    ownerContract.updateSettings.path,
    {
      config: owner,
      schema: {
        hide: true,
        body: ownerContract.updateSettings.body,
        response: { 200: ownerContract.updateSettings.response, ...errors },
      },
    },
    async (request) => {
      const { time_zone, pending_expiry_hours, global_cap, notifications, start_at_login } =
        request.body;
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
  );

  app.post(
    ownerContract.freeze.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.freeze.response } },
    },
    async () => settingsView(await wallet.settings.setFrozen(true)),
  );
  app.post(
    ownerContract.unfreeze.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.unfreeze.response } },
    },
    async () => settingsView(await wallet.settings.setFrozen(false)),
  );
}
