/** Agents, their policies and their keys: `/admin/v1/agents…`, `/admin/v1/keys…`. */
import {
  agentCreateBody,
  agentView,
  issuedKey,
  keyIssueBody,
  keyView,
  ownerIdParams,
  policyPatch,
} from '../schemas/owner-api';
import { agentList, keyList } from '../schemas/owner-answers';
import type { OwnerRouteSpec } from './route';

export const agentRoutes = {
  listAgents: { method: 'GET', path: '/admin/v1/agents', response: agentList },
  /** A new agent; its policy fields are optional (budget 0 unless given: it spends nothing). */
  createAgent: {
    method: 'POST',
    path: '/admin/v1/agents',
    body: agentCreateBody,
    response: agentView,
  },
  getAgent: {
    method: 'GET',
    path: '/admin/v1/agents/:id',
    params: ownerIdParams,
    response: agentView,
  },
  /** The next policy version: the fields named change, the rest carry over. */
  updatePolicy: {
    method: 'PATCH',
    path: '/admin/v1/agents/:id/policy',
    params: ownerIdParams,
    body: policyPatch,
    response: agentView,
  },
  /** Paused: every spend request is declined (`agent_paused`) until resumed. */
  pauseAgent: {
    method: 'POST',
    path: '/admin/v1/agents/:id/pause',
    params: ownerIdParams,
    response: agentView,
  },
  resumeAgent: {
    method: 'POST',
    path: '/admin/v1/agents/:id/resume',
    params: ownerIdParams,
    response: agentView,
  },
  revokeAgent: {
    method: 'POST',
    path: '/admin/v1/agents/:id/revoke',
    params: ownerIdParams,
    response: agentView,
  },
  listKeys: {
    method: 'GET',
    path: '/admin/v1/agents/:id/keys',
    params: ownerIdParams,
    response: keyList,
  },
  /** The answer carries the key in plaintext, once: nothing can show it again. */
  issueKey: {
    method: 'POST',
    path: '/admin/v1/agents/:id/keys',
    params: ownerIdParams,
    body: keyIssueBody,
    response: issuedKey,
  },
  revokeKey: {
    method: 'POST',
    path: '/admin/v1/keys/:id/revoke',
    params: ownerIdParams,
    response: keyView,
  },
} as const satisfies Record<string, OwnerRouteSpec>;
