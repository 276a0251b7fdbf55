import { Command, InvalidArgumentError, Option } from 'commander';
import {
  fetchWithPurser,
  PurserApiError,
  PurserPaymentPendingError,
  type AnyPaymentView,
} from '../../shared/client';
import { agentClient } from './agent-env';
import { EXIT } from './agent-commands';
import { globals } from './globals';
import { CliError } from './cli-error';
import { collect, emit, usd, visible, wholeNumber } from './output';

/**
 * `purser pay URL`: an agent fetches a URL, and when it answers with an x402 402, Purser
 * pays it from the agent's Purser-held wallet (docs/chain.md) and the request is sent again
 * with the payment header; the answer's body goes to stdout as it came, like curl. It is an
 * agent command: PURSER_KEY and PURSER_URL (agent-env.ts), the exit codes of
 * agent-commands.ts:
 *   0   the URL answered 2xx (paid, or it needed no payment)
 *   10  declined: the policy, a hard limit, or the owner refused the payment
 *   11  pending: the payment still waits for the owner (--no-wait, or --wait ran out)
 *   12  the approval ended undecided: expired or cancelled
 *   1   an API or network error, or the URL's final answer is not 2xx (its body is printed)
 *   2   usage
 * At most one payment per run; `--idempotency-key` resumes the same payment in a later run
 * (after exit 11, say) instead of starting another.
 */
const PAY_HELP = `
The request is sent at most twice: once unpaid and, only if Purser pays the 402, once more
with the payment header (that is how x402 works, so a --data body reaches the URL twice; the
first is refused with 402). Nothing else is retried, and at most one payment is made.

Exit codes: 0 the URL answered 2xx (paid or free), 10 declined, 11 still waiting for the
owner (retry with the same --idempotency-key), 12 the approval expired or was cancelled,
1 API or network error or a non-2xx answer (body still printed), 2 usage error.
Environment: PURSER_KEY (the agent's spending key), PURSER_URL (default: the running server).`;

interface PayOptions {
  method?: string;
  data?: string;
  header?: string[];
  wait: number | boolean;
  reason?: string;
  category?: string;
  idempotencyKey?: string;
}

const DEFAULT_WAIT_SECONDS = 600;

/** `Name: value`, as curl takes it. */
function headerOf(line: string): [string, string] {
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
    throw new CliError(`--header must be "Name: value", got "${visible(line)}"`, EXIT.usage);
  return [name, line.slice(colon + 1).trim()];
}

function urlOf(text: string): URL {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // below
  }
  throw new InvalidArgumentError(`the URL must be an absolute http(s) URL, got "${text}"`);
}

/** An x402 `upto` payment is a maximum: what it cost is known once the chain settles it. */
const isUpto = (p: AnyPaymentView) => p.object === 'x402_payment' && p.scheme === 'upto';

const paidLine = (p: AnyPaymentView) =>
  `${isUpto(p) ? 'paid at most' : 'paid'} ${usd(p.amount_micros / 10_000)} (${p.amount_units} units) to ${visible(p.host)} ` +
  `(${visible(p.object === 'mpp_payment' ? p.recipient : p.pay_to)}) from ${p.payer}` +
  ` by ${p.object === 'mpp_payment' ? 'MPP' : isUpto(p) ? 'x402 upto' : 'x402'}; payment ${p.id}, spend request ${p.spend_request_id}`;

const note = (line: string) => process.stderr.write(`purser: ${line}\n`);

export function payCommand(): Command {
  return new Command('pay')
    .description('fetch a URL, paying its x402 402 through Purser (agent; uses PURSER_KEY)')
    .argument('<url>', 'the URL to fetch', urlOf)
    .option('-X, --method <method>', 'HTTP method (default GET, or POST with --data)')
    .option('-d, --data <body>', 'request body, sent as given')
    .option('-H, --header <header>', 'a request header "Name: value" (repeatable)', collect)
    .addOption(
      new Option('--wait <seconds>', 'wait up to this long for the owner when approval is needed')
        .argParser(wholeNumber('--wait'))
        .default(DEFAULT_WAIT_SECONDS, `${DEFAULT_WAIT_SECONDS}`),
    )
    .option('--no-wait', 'do not wait for the owner: exit 11 if the payment needs approval')
    .option('--reason <text>', 'why the agent pays, for the owner')
    .option('--category <c>', 'a category the policy may restrict')
    .option(
      '--idempotency-key <k>',
      'reuse it to resume the same payment in a later run, so a retry never pays twice',
    )
    .addHelpText('after', PAY_HELP)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage))
    .action((url: URL, o: PayOptions, cmd: Command) => pay(url, o, cmd));
}

async function pay(url: URL, o: PayOptions, cmd: Command): Promise<void> {
  const g = globals(cmd);
  const headers = new Headers((o.header ?? []).map(headerOf));
  const method = (o.method ?? (o.data === undefined ? 'GET' : 'POST')).toUpperCase();
  if (o.data !== undefined && (method === 'GET' || method === 'HEAD'))
    throw new CliError(`--data cannot be sent with ${method}; give --method POST`, EXIT.usage);
  const client = agentClient(g.home);
  const waitSeconds = o.wait === false ? 0 : o.wait === true ? DEFAULT_WAIT_SECONDS : o.wait;
  let paid: AnyPaymentView | undefined;
  let response: Response;
  try {
    response = await fetchWithPurser(
      client,
      url,
      { method, headers, body: o.data },
      {
        waitSeconds,
        reason: o.reason,
        category: o.category,
        idempotencyKey: o.idempotencyKey,
        onPending: (p, key) =>
          note(
            `${usd(p.amount_micros / 10_000)} to ${visible(p.host)} needs the owner's approval ` +
              `(spend request ${p.spend_request_id}, idempotency key ${key})` +
              (waitSeconds > 0 ? `; waiting up to ${waitSeconds} s` : ''),
          ),
        onPayment: (p) => {
          paid = p;
        },
      },
    );
  } catch (error) {
    throw failure(error, !!g.json);
  }
  process.stdout.write(Buffer.from(await response.arrayBuffer()));
  if (paid) note(paidLine(paid));
  if (!response.ok) {
    const retry = paid
      ? `; the payment was signed: run again with --idempotency-key to send the same one`
      : '';
    throw new CliError(`${url.href} answered HTTP ${response.status}${retry}`, EXIT.error);
  }
  process.exitCode = EXIT.ok;
}

/** A refusal, a pending payment or an API error as the agent CLI reports them. */
function failure(error: unknown, json: boolean): unknown {
  if (error instanceof PurserPaymentPendingError) {
    const { payment, idempotencyKey } = error;
    if (json) emit(true, { ...payment, idempotency_key: idempotencyKey }, () => '');
    return new CliError(
      `still waiting for the owner to approve spend request ${payment.spend_request_id}; ` +
        `run again with --idempotency-key ${idempotencyKey} once it is approved`,
      EXIT.pending,
    );
  }
  if (!(error instanceof PurserApiError)) {
    // The URL itself could not be reached (fetch's TypeError, its cause says why).
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return new CliError(cause instanceof Error ? cause.message : String(cause), EXIT.error);
  }
  const { code, message, details } = error;
  if (json) emit(true, { error: { code, message, details } }, () => '');
  const ended = details.decision === 'expired' || details.decision === 'cancelled';
  const exit = ended ? EXIT.ended : error.status === 402 ? EXIT.declined : EXIT.error;
  return new CliError(`${code}: ${message}`, exit);
}
