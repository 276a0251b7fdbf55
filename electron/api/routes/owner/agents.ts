import { ownerContract } from '../../../../shared/contract/owner';
import { errorEnvelope } from '../../../../shared/schemas/common';
import type { Agent } from '../../../core/agents/agents';
import type { RouteContext, ZodApp } from '../../context';
import { agentView, keyView } from '../../owner-views';

const owner = { owner: true } as const;
const errors = { '4XX': errorEnvelope };

/** Agents, their policies and their keys: `/admin/v1/agents…`, `/admin/v1/keys…`. */
export function ownerAgentRoutes(app: ZodApp, { wallet }: RouteContext): void {
  const view = (agent: Agent) => {
    const { policy, budget } = wallet.agents.budgetOf(agent);
    return agentView(agent, policy, budget);
  };

  app.get(
    ownerContract.listAgents.path,
    {
      config: owner,
      schema: { hide: true, response: { 200: ownerContract.listAgents.response } },
    },
    async () => ({
      agents: wallet.agents.list().map(view),
    }),
  );

  app.post(
    ownerContract.createAgent.path,
    {
      config: owner,
      schema: {
        hide: true,
        body: ownerContract.createAgent.body,
        response: { 200: ownerContract.createAgent.response, ...errors },
      },
    },
    async (request) => {
      const { agent } = await wallet.agents.create(request.body);
      return view(agent);
    },
  );

  app.get(
    ownerContract.getAgent.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.getAgent.params,
        response: { 200: ownerContract.getAgent.response, ...errors },
      },
    },
    async (request) => view(wallet.agents.require(request.params.id)),
  );

  app.patch(
    ownerContract.updatePolicy.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.updatePolicy.params,
        body: ownerContract.updatePolicy.body,
        response: { 200: ownerContract.updatePolicy.response, ...errors },
      },
    },
    async (request) =>
      view((await wallet.agents.updatePolicy(request.params.id, request.body)).agent),
  );

  const statusRoute = (action: 'pause' | 'resume' | 'revoke', status: Agent['status']) =>
    app.post(
      ownerContract[`${action}Agent`].path,
      {
        config: owner,
        schema: {
          hide: true,
          params: ownerContract[`${action}Agent`].params,
          response: { 200: ownerContract[`${action}Agent`].response, ...errors },
        },
      },
      async (request) => view(await wallet.agents.setStatus(request.params.id, status)),
    );
  statusRoute('pause', 'paused');
  statusRoute('resume', 'active');
  statusRoute('revoke', 'revoked');

  app.get(
    ownerContract.listKeys.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.listKeys.params,
        response: { 200: ownerContract.listKeys.response, ...errors },
      },
    },
    async (request) => ({ keys: wallet.keys.list(request.params.id).map(keyView) }),
  );

  app.post(
    ownerContract.issueKey.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.issueKey.params,
        body: ownerContract.issueKey.body,
        response: { 200: ownerContract.issueKey.response, ...errors },
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
    ownerContract.revokeKey.path,
    {
      config: owner,
      schema: {
        hide: true,
        params: ownerContract.revokeKey.params,
        response: { 200: ownerContract.revokeKey.response, ...errors },
      },
    },
    async (request) => keyView(await wallet.keys.revoke(request.params.id)),
  );
}
