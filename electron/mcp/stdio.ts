import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { PurserClient } from '../../shared/client/purser-client';
import { exactNumbersOnly } from './exact-stdin';
import { createPurserMcpServer } from './server';

/**
 * The agent's MCP server on stdin/stdout until stdin closes: `purser mcp`, and the MCP
 * Bundle's server (bundle-entry.ts). stdout carries the protocol and nothing else.
 */
export async function serveOverStdio(client: PurserClient): Promise<void> {
  // Anything that logs goes to stderr.
  console.log = console.info = console.debug = console.error;
  const server = createPurserMcpServer(client);
  const transport = new StdioServerTransport(
    exactNumbersOnly(process.stdin, process.stdout),
    process.stdout,
  );
  // The SDK's transport does not watch for the end of stdin; the host closing it is how
  // it tells the server to stop.
  const ended = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  await server.connect(transport);
  process.stderr.write(`purser mcp: serving the agent API of ${client.url} on stdio\n`);
  await ended;
  await server.close();
  // A long poll still in flight (up to a minute) would keep the process alive for a
  // client that is gone.
  setTimeout(() => process.exit(), 500).unref();
}
