import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { PurserApiError } from '../../shared/client';
import { MAX_WAIT_SECONDS } from './inputs';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * The longest a waiting tool takes to answer, whatever happens behind it: Purser holds a
 * long poll for `wait` (at most MAX_WAIT_SECONDS) and answers at once after, but its client
 * may retry a failed call. Past this bound the tool answers an error saying to call again,
 * still before the 60 s an MCP client waits by default (inputs.ts, MAX_WAIT_SECONDS).
 */
export const WAIT_ANSWER_WITHIN_MS = (MAX_WAIT_SECONDS + 5) * 1000;

/**
 * Long polls. A call answers within WAIT_ANSWER_WITHIN_MS, so a client with the SDK's
 * default timeout (60 s) never gives up on it; past that, it is a timeout error the model
 * reads (call again: it only reads). Where the client asked for progress (a
 * progressToken), a notification every 15 s says it is still waiting, for a client that
 * shows it or resets a shorter timeout on it (resetTimeoutOnProgress).
 */
export async function whileWaiting<T>(
  tool: string,
  extra: Extra,
  wait: number | undefined,
  call: () => Promise<T>,
): Promise<T> {
  const token = extra._meta?.progressToken;
  let progress = 0;
  const ticker =
    token !== undefined && wait
      ? setInterval(() => {
          progress += 1;
          extra
            .sendNotification({
              method: 'notifications/progress',
              params: { progressToken: token, progress, message: 'still waiting for the human' },
            })
            .catch(() => undefined);
        }, 15_000)
      : undefined;
  let deadline: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    deadline = setTimeout(
      () =>
        reject(
          new PurserApiError(
            0,
            'timeout',
            `Purser did not answer within ${WAIT_ANSWER_WITHIN_MS / 1000} s; call ${tool} again.`,
          ),
        ),
      WAIT_ANSWER_WITHIN_MS,
    );
  });
  try {
    return await Promise.race([call(), late]);
  } finally {
    clearInterval(ticker);
    clearTimeout(deadline);
  }
}
