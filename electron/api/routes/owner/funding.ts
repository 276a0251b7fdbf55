import { z } from 'zod';
import {
  depositBody,
  fundingLimitBody,
  fundingSourceView,
  settingsPatch,
  settingsView as settingsSchema,
} from '../../../../shared/schemas/owner-api';
import { errorEnvelope } from '../../../../shared/schemas/common';
import { centsToMicros } from '../../../../shared/money';
import type { RouteContext, ZodApp } from '../../context';
import { ownerFundingView, settingsView } from '../../owner-views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

/** Funding sources, deposits, limits; workspace settings and the freeze. */
export function ownerFundingRoutes(app: ZodApp, { wallet }: RouteContext): void {
  app.get(
    '/admin/v1/funding-sources',
    {
      config: owner,
      schema: {
        hide: true,
        response: { 200: z.object({ funding_sources: z.array(fundingSourceView) }) },
      },
    },
    async () => ({
      funding_sources: wallet.funding.list().map(ownerFundingView),
    }),
  );

  app.post(
    '/admin/v1/funding/deposit',
    {
      config: owner,
      schema: { hide: true, body: depositBody, response: { 200: fundingSourceView, ...errors } },
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
    '/admin/v1/funding-sources/:id/limit',
    {
      config: owner,
      schema: {
        hide: true,
        params: z.strictObject({ id: z.string().max(64) }),
        body: fundingLimitBody,
        response: { 200: fundingSourceView, ...errors },
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
    '/admin/v1/settings',
    { config: owner, schema: { hide: true, response: { 200: settingsSchema } } },
    async () => settingsView(wallet.settings.get()),
  );

  app.patch(
    '/admin/v1/settings',
    {
      config: owner,
      schema: { hide: true, body: settingsPatch, response: { 200: settingsSchema, ...errors } },
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
    '/admin/v1/freeze',
    { config: owner, schema: { hide: true, response: { 200: settingsSchema } } },
    async () => settingsView(await wallet.settings.setFrozen(true)),
  );
  app.post(
    '/admin/v1/unfreeze',
    { config: owner, schema: { hide: true, response: { 200: settingsSchema } } },
    async () => settingsView(await wallet.settings.setFrozen(false)),
  );
}
