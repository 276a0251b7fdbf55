import { Transform, type Readable, type Writable } from 'node:stream';
import { inexactNumberIn, inexactNumberMessage } from '../../shared/json-numbers';

/** JSON-RPC's "invalid params": the tool call's arguments cannot be taken as sent. */
const INVALID_PARAMS = -32602;

/**
 * The MCP server's stdin with one check in front (docs/money-integrity.md, rule 6): a
 * message holding a number that JSON.parse would round (`"amount_cents":
 * 0.99999999999999999999` becomes 1) never reaches the SDK. Its caller is answered with an
 * invalid-params error instead, so a tool is only ever called with amounts read from their
 * digits, as the HTTP API reads them. Messages are newline-delimited (the stdio transport).
 */
export function exactNumbersOnly(input: Readable, output: Writable): Readable {
  let pending = '';
  const pass = (line: string, push: (text: string) => void) => {
    const literal = inexactNumberIn(line);
    if (literal === undefined) return push(`${line}\n`);
    const answer = refusal(line, literal);
    // A notification (no id) gets no answer in JSON-RPC: it is dropped.
    if (answer) output.write(`${JSON.stringify(answer)}\n`);
  };
  const filter = new Transform({
    decodeStrings: false,
    transform(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      let at = pending.indexOf('\n');
      while (at !== -1) {
        pass(pending.slice(0, at), (text) => this.push(text));
        pending = pending.slice(at + 1);
        at = pending.indexOf('\n');
      }
      done();
    },
    flush(done) {
      if (pending !== '') pass(pending, (text) => this.push(text));
      done();
    },
  });
  return input.pipe(filter);
}

function refusal(line: string, literal: string) {
  let id: unknown = null;
  try {
    const message = JSON.parse(line) as { id?: unknown };
    if (!('id' in message)) return undefined;
    if (typeof message.id === 'string' || typeof message.id === 'number') id = message.id;
  } catch {
    // not JSON: answered without an id, as JSON-RPC says for a message that cannot be read
  }
  const { message, shown } = inexactNumberMessage(literal);
  return {
    jsonrpc: '2.0',
    id,
    error: { code: INVALID_PARAMS, message: `Invalid params: ${message}`, data: { number: shown } },
  };
}
