/**
 * The server of Purser's MCP Bundle (bundle.ts): `purser mcp` with everything it needs in
 * one file, run by Claude Desktop's own Node. Configured as `purser mcp` is, by PURSER_KEY,
 * PURSER_URL (or the default data folder's server.json) and PURSER_TLS_FINGERPRINT.
 */
import { agentClient } from '../cli/agent-env';
import { serveOverStdio } from './stdio';

try {
  await serveOverStdio(agentClient(undefined));
} catch (error) {
  process.stderr.write(`purser mcp: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
