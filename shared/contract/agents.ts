/** Agents, their policies and their keys: `/admin/v1/agents…`, `/admin/v1/keys…`. */
import {
  agentCreateBody,
  agentView,
  connectAnswer,
  connectBody,
  issuedKey,
  keyIssueBody,
  keyView,
  policyPatch,
} from '../schemas/owner-api';
import { agentList, keyList } from '../schemas/owner-answers';
import { idRoute, type OwnerRouteSpec } from './route';

export const agentRoutes = {
  listAgents: { method: 'GET', path: '/admin/v1/agents', response: agentList },
  /** A new agent; its policy fields are optional (budget 0 unless given: it spends nothing). */
  createAgent: {
    method: 'POST',
    path: '/admin/v1/agents',
    body: agentCreateBody,
    response: agentView,
  },
  getAgent: idRoute({
    method: 'GET',
    path: '/admin/v1/agents/:id',
    response: agentView,
  }),
  /** The next policy version: the fields named change, the rest carry over. */
  updatePolicy: idRoute({
    method: 'PATCH',
    path: '/admin/v1/agents/:id/policy',
    body: policyPatch,
    response: agentView,
  }),
  /** Paused: every spend request is declined (`agent_paused`) until resumed. */
  pauseAgent: idRoute({
    method: 'POST',
    path: '/admin/v1/agents/:id/pause',
    response: agentView,
  }),
  resumeAgent: idRoute({
    method: 'POST',
    path: '/admin/v1/agents/:id/resume',
    response: agentView,
  }),
  revokeAgent: idRoute({
    method: 'POST',
    path: '/admin/v1/agents/:id/revoke',
    response: agentView,
  }),
  listKeys: idRoute({
    method: 'GET',
    path: '/admin/v1/agents/:id/keys',
    response: keyList,
  }),
  /** The answer carries the key in plaintext, once: nothing can show it again. */
  issueKey: idRoute({
    method: 'POST',
    path: '/admin/v1/agents/:id/keys',
    body: keyIssueBody,
    response: issuedKey,
  }),
  /**
   * Connect the agent to a client from the window: a new key (once), and either the MCP
   * client's configuration written (the code of `purser mcp install`) or the snippet to paste.
   */
  connectAgent: idRoute({
    method: 'POST',
    path: '/admin/v1/agents/:id/connect',
    body: connectBody,
    response: connectAnswer,
  }),
  revokeKey: idRoute({
    method: 'POST',
    path: '/admin/v1/keys/:id/revoke',
    response: keyView,
  }),
} as const satisfies Record<string, OwnerRouteSpec>;
