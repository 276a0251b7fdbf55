import { PurserError } from '../errors';
import type { KeyAuth } from '../keys/key-repository';
import type { Agent, AgentRepository } from './agent-repository';

/** The agent a checked key belongs to. A key whose agent is gone is no key at all. */
export function agentOf(agents: Pick<AgentRepository, 'get'>, auth: KeyAuth): Agent {
  const agent = agents.get(auth.agentId);
  if (!agent) throw new PurserError('invalid_api_key', 'Unknown spending key.');
  return agent;
}
