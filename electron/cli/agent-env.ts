import { readServerInfo } from '../core/server-info';
import { defaultHome } from '../core/paths';
import { DEFAULT_URL, PurserClient } from '../../shared/client';
import { CliError } from './cli-error';

/**
 * How an agent-side command (the agent CLI, `purser mcp`) reaches Purser: its spending key
 * from `PURSER_KEY`, the server from `PURSER_URL`, else the server that the data folder
 * (`--home`, `PURSER_HOME`, or the default) says is running, else the default port. Only
 * the key opens anything, and only this agent's own routes.
 */
export function agentConnection(
  home: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { key: string; url: string; tlsFingerprint?: string } {
  const key = env.PURSER_KEY?.trim();
  if (!key) {
    throw new CliError(
      "Set PURSER_KEY to the agent's spending key (psk_…); the owner issues one with `purser keys issue AGENT_ID`.",
      2,
    );
  }
  const url =
    env.PURSER_URL?.trim() || readServerInfo(home ?? defaultHome(env))?.url || DEFAULT_URL;
  const tlsFingerprint = env.PURSER_TLS_FINGERPRINT?.trim() || undefined;
  return { key, url, tlsFingerprint };
}

export function agentClient(home: string | undefined, env: NodeJS.ProcessEnv = process.env) {
  return new PurserClient(agentConnection(home, env));
}
