/** A raw MCP `initialize` request, for tests that speak the protocol without the SDK. */
export function initializeRequest(client = 'raw'): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: client, version: '1' },
    },
  };
}
