import { http, type HttpTransport } from 'viem';

/**
 * viem's HTTP transport for the local node, without retries. Hardhat answers every revert with
 * JSON-RPC -32603 (internal error), which viem retries three times with backoff by default:
 * about one second per reverting eth_call or estimateGas, and nothing to gain from a retry on
 * 127.0.0.1.
 */
export function localTransport(rpcUrl: string): HttpTransport {
  return http(rpcUrl, { retryCount: 0 });
}
