import { z } from 'zod';
import {
  agentCreateBody,
  agentView as agentSchema,
  issuedKey,
  keyIssueBody,
  keyView as keySchema,
  policyPatch,
} from '../../../../shared/schemas/owner-api';
import { errorEnvelope } from '../../../../shared/schemas/common';
import type { Agent } from '../../../core/agents/agents';
import type { RouteContext, ZodApp } from '../../context';
import { agentView, keyView } from '../../owner-views';

const idParams = z.strictObject({ id: z.string().max(64) });
const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

/** Agents, their policies and their keys: `/admin/v1/agents…`, `/admin/v1/keys…`. */
export function ownerAgentRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const { deps } = wallet;
  const view = (agent: Agent) => {
    const policy = deps.policies.current(agent);
    return agentView(agent, policy, deps.limits.budget(agent, policy, deps.clock.now(), false));
  };

  app.get(
    '/admin/v1/agents',
    {
      config: owner,
      schema: { hide: true, response: { 200: z.object({ agents: z.array(agentSchema) }) } },
    },
    async () => ({
      agents: wallet.agents.list().map(view),
    }),
  );

  app.post(
    '/admin/v1/agents',
    {
      config: owner,
      schema: { hide: true, body: agentCreateBody, response: { 200: agentSchema, ...errors } },
    },
    async (request) => {
      const { agent } = await wallet.agents.create(request.body);
      return view(agent);
    },
  );

  app.get(
    '/admin/v1/agents/:id',
    {
      config: owner,
      schema: { hide: true, params: idParams, response: { 200: agentSchema, ...errors } },
    },
    async (request) => view(wallet.agents.require(request.params.id)),
  );

  app.patch(
    '/admin/v1/agents/:id/policy',
    {
      config: owner,
      schema: {
        hide: true,
        params: idParams,
        body: policyPatch,
        response: { 200: agentSchema, ...errors },
      },
    },
    async (request) =>
      view((await wallet.agents.updatePolicy(request.params.id, request.body)).agent),
  );

  const statusRoute = (action: 'pause' | 'resume' | 'revoke', status: Agent['status']) =>
    app.post(
      `/admin/v1/agents/:id/${action}`,
      {
        config: owner,
        schema: { hide: true, params: idParams, response: { 200: agentSchema, ...errors } },
      },
      async (request) => view(await wallet.agents.setStatus(request.params.id, status)),
    );
  statusRoute('pause', 'paused');
  statusRoute('resume', 'active');
  statusRoute('revoke', 'revoked');

  app.get(
    '/admin/v1/agents/:id/keys',
    {
      config: owner,
      schema: {
        hide: true,
        params: idParams,
        response: { 200: z.object({ keys: z.array(keySchema) }), ...errors },
      },
    },
    async (request) => ({ keys: wallet.keys.list(request.params.id).map(keyView) }),
  );

  app.post(
    '/admin/v1/agents/:id/keys',
    {
      config: owner,
      schema: {
        hide: true,
        params: idParams,
        body: keyIssueBody,
        response: { 200: issuedKey, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { key, plaintext } = await wallet.keys.issue(request.params.id, {
        scopes: body.scopes,
        label: body.label ?? null,
        expiresAt: body.expires_at ? Date.parse(body.expires_at) : null,
      });
      // The plaintext is in this response and nowhere else; keep it out of every cache.
      reply.header('Cache-Control', 'no-store');
      return { ...keyView(key), key: plaintext };
    },
  );

  app.post(
    '/admin/v1/keys/:id/revoke',
    {
      config: owner,
      schema: { hide: true, params: idParams, response: { 200: keySchema, ...errors } },
    },
    async (request) => keyView(await wallet.keys.revoke(request.params.id)),
  );
}
