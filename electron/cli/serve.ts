import { Command } from 'commander';
import { defaultHome } from '../core/paths';
import { startServer, type RunningServer } from '../api/server';
import { DEFAULT_PORT } from '../core/server-info';
import { parseListenAddress } from '../api/agent-tls';
import { wholeNumber } from './output';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassphraseSealer } from '../core/chain/sealer';

/**
 * `purser serve`: the headless wallet. Same core and API as the desktop app, in a
 * terminal. Stops cleanly on SIGINT/SIGTERM: the server stops taking requests, every
 * answered decision is already on disk, the database closes.
 */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run Purser headless: the agent API and owner API on 127.0.0.1')
    .option(
      '--port <n>',
      `port (0 picks a free one; env PURSER_PORT; default ${DEFAULT_PORT})`,
      wholeNumber('--port'),
    )
    .option(
      '--passphrase-file <path>',
      'file holding the passphrase that seals on-chain keys (or env PURSER_PASSPHRASE)',
    )
    .option(
      '--agent-socket [path]',
      'also serve the agent API (only) on a Unix socket, for agents in containers (default path: agent.sock in the data folder; env PURSER_AGENT_SOCKET)',
    )
    .option(
      '--agent-listen <address:port>',
      'also serve the agent API (only) over TLS on this address of this machine, for agents elsewhere (env PURSER_AGENT_LISTEN); agents pin the certificate printed at start',
    )
    .option(
      '--chain-poll-ms <n>',
      'how often the chain is read (default 3000)',
      wholeNumber('--chain-poll-ms'),
    )
    .action(
      async (
        o: {
          port?: number;
          passphraseFile?: string;
          chainPollMs?: number;
          agentSocket?: string | true;
          agentListen?: string;
        },
        cmd: Command,
      ) => {
        const { home: homeOpt } = cmd.optsWithGlobals<{ home?: string }>();
        const home = homeOpt ?? defaultHome();
        const envPort = process.env.PURSER_PORT;
        const port =
          o.port ??
          (envPort !== undefined && envPort !== ''
            ? wholeNumber('PURSER_PORT')(envPort)
            : DEFAULT_PORT);
        // Signal handlers come first: a SIGTERM that arrives while starting, or the instant
        // after the URL is printed, must still stop Purser cleanly rather than kill it.
        const running: { server?: RunningServer } = {};
        let stopping: string | undefined;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = signal;
          if (!running.server) return; // startup finishes, then sees `stopping` and closes
          process.stdout.write(`\n${signal}: stopping Purser…\n`);
          running.server.close().then(
            () => process.exit(0),
            (error: unknown) => {
              console.error(error);
              process.exit(1);
            },
          );
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));

        const socketOption = o.agentSocket ?? (process.env.PURSER_AGENT_SOCKET || undefined);
        const agentSocket =
          socketOption === undefined
            ? undefined
            : socketOption === true
              ? join(home, 'agent.sock')
              : resolve(socketOption);
        const listenText = o.agentListen ?? (process.env.PURSER_AGENT_LISTEN || undefined);
        const agentListen = listenText === undefined ? undefined : parseListenAddress(listenText);
        const passphrase = o.passphraseFile
          ? readFileSync(o.passphraseFile, 'utf8').replace(/\r?\n$/, '')
          : process.env.PURSER_PASSPHRASE;
        const server = await startServer({
          sealer: passphrase ? new PassphraseSealer(passphrase) : undefined,
          chainPollMs: o.chainPollMs,
          home,
          port,
          agentSocket,
          agentListen,
          logger: process.env.PURSER_LOG === '1',
          // Group commit unless told otherwise (the benchmark compares the two).
          commit: process.env.PURSER_COMMIT === 'serial' ? 'serial' : 'group',
        });
        running.server = server;
        if (stopping) {
          const signal = stopping;
          stopping = undefined;
          return stop(signal);
        }
        process.stdout.write(
          `Purser is listening on ${server.info.url}\n` +
            `  data folder: ${home}\n` +
            `  agent API:   ${server.info.url}/v1   (OpenAPI: ${server.info.url}/v1/openapi.json)\n` +
            (agentSocket
              ? `  agent socket: ${agentSocket}   (agent API only; PURSER_URL=unix:${agentSocket})\n`
              : '') +
            (server.info.agentTls
              ? `  agent TLS:   ${server.info.agentTls.url}   (agent API only)\n` +
                `    agents:    PURSER_URL=${server.info.agentTls.url} PURSER_TLS_FINGERPRINT=${server.info.agentTls.fingerprint256}\n` +
                `    curl:      --insecure --pinnedpubkey '${server.info.agentTls.publicKeyPin}' (the pin replaces the CA check)\n`
              : '') +
            `  owner CLI:   ${cliCommand()} --home ${shellQuote(home)} agents list\n` +
            `  chain keys:  ${server.wallet.chain.unlocked ? 'unlocked (sealed with your passphrase)' : 'locked: set PURSER_PASSPHRASE to create wallets and sign on chain'}\n` +
            `  owner window (one-time login link): ${server.loginUrl()}\n`,
        );
      },
    );
}

/**
 * How to run this very CLI from any folder: `purser` is on PATH only after `npm link` or a
 * global install, so print the command that works either way.
 */
function cliCommand(): string {
  const script = process.argv[1];
  return script ? `node ${shellQuote(script)}` : 'npx purser';
}

/** Quotes for POSIX shells when needed, so the printed command can be pasted as is. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
