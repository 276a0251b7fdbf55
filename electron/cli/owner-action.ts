import type { Command } from 'commander';
import { globals } from './globals';
import { ownerClient, type OwnerClient } from './owner-client';
import { emit } from './output';

/** What an owner command asks of the owner client. */
export type OwnerCalls = Pick<OwnerClient, 'call'>;

type OwnerCall = (client: OwnerCalls, ...args: never[]) => Promise<unknown>;
/** Commander's arguments and options, as an owner call takes them after the client. */
type ArgsOf<F extends OwnerCall> = F extends (client: OwnerCalls, ...args: infer A) => unknown
  ? A
  : never;

/**
 * The action of an owner command: `call` asks the owner API with commander's arguments
 * and options (as commander hands them over, without the command itself), and the answer
 * is printed: as JSON under --json, else as `human` writes it.
 *
 * The client is looked up (server.json, the owner token) at the first call, so a usage
 * error the command finds before calling still comes before "Purser is not running".
 */
export function ownerAction<F extends OwnerCall>(
  call: F,
  human: (answer: Awaited<ReturnType<F>>, ...args: ArgsOf<F>) => string,
): (...input: [...ArgsOf<F>, Command]) => Promise<void> {
  return async (...input) => {
    const args = input.slice(0, -1) as ArgsOf<F>;
    const g = globals(input[input.length - 1] as Command);
    let client: OwnerClient | undefined;
    const owner: OwnerCalls = {
      call: (name, ...rest) => (client ??= ownerClient(g.home)).call(name, ...rest),
    };
    const answer = (await call(owner, ...args)) as Awaited<ReturnType<F>>;
    emit(!!g.json, answer, () => human(answer, ...args));
  };
}
