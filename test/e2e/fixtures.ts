/**
 * The setup every browser test shares: `purser serve` on a fresh data folder, the owner's
 * CLI against that folder, and the window opened logged in, all stopped and removed by
 * themselves.
 *
 * - `purser` (a test fixture): a running Purser of the test's own, stopped and its data
 *   folder removed after the test. `test.use({ purserLabel, serveArgs })` names the folder
 *   and passes extra `purser serve` flags.
 * - `launchPurser` (a test fixture): more Pursers in one test (a second data folder, say),
 *   each stopped and removed after the test like `purser`.
 * - `sharedPurser()`: one Purser for every test of a file or `test.describe` block, for
 *   specs whose setup is too slow to repeat per test (started in `beforeAll`, stopped in
 *   `afterAll`).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import {
  agentWithKey,
  runCli,
  startServe,
  type CliResult,
  type ServeProcess,
} from '../helpers/cli';
import { tmpHome } from '../helpers/tmp';

export { expect };

export interface PurserOptions {
  /** Names the temp data folder (`<label>-XXXXXX/home`). */
  label?: string;
  /** Extra flags for `purser serve`. */
  serveArgs?: string[];
  /** Written to a file beside the data folder, passed as `--passphrase-file`: keys unlocked. */
  passphrase?: string;
  /** Added to the environment of `purser serve` (a HOME of the test's own, say). */
  env?: Record<string, string>;
}

/** `purser serve` on its own data folder, and the owner's ways in: the CLI and the window. */
export class Purser {
  #home: string | undefined;
  #serve: ServeProcess | undefined;
  #serveArgs: string[] = [];

  constructor(private readonly options: PurserOptions = {}) {}

  /** A fresh data folder, and `purser serve` started on it. */
  async launch(): Promise<this> {
    const home = tmpHome(this.options.label ?? 'e2e');
    this.#home = home;
    const args = [...(this.options.serveArgs ?? [])];
    if (this.options.passphrase !== undefined) {
      const file = join(dirname(home), 'passphrase');
      writeFileSync(file, `${this.options.passphrase}\n`, { mode: 0o600 });
      args.push('--passphrase-file', file);
    }
    this.#serveArgs = args;
    await this.start();
    return this;
  }

  /** Starts `purser serve` (again) on the same data folder; `port` 0 picks a free one. */
  async start(port = 0): Promise<void> {
    const portArgs = port === 0 ? [] : ['--port', String(port)]; // the last --port wins
    this.#serve = await startServe(this.home, [...this.#serveArgs, ...portArgs], this.options.env);
  }

  /** SIGTERM, then the exit code. The data folder stays, for `start()` again. */
  async stop(): Promise<number | null> {
    return (await this.#serve?.stop()) ?? null;
  }

  /** Stops the server (SIGKILL if SIGTERM is not enough) and removes the data folder. */
  async dispose(): Promise<void> {
    const serve = this.#serve;
    if (serve) {
      const timer = setTimeout(() => serve.child.kill('SIGKILL'), 10_000);
      await serve.stop();
      clearTimeout(timer);
    }
    if (this.#home) rmSync(dirname(this.#home), { recursive: true, force: true });
  }

  get home(): string {
    if (this.#home === undefined) throw new Error('Purser has not been launched');
    return this.#home;
  }

  /** The `purser serve` process (the last one started). */
  get serve(): ServeProcess {
    if (this.#serve === undefined) throw new Error('purser serve has not started');
    return this.#serve;
  }

  /** Where it listens: `http://127.0.0.1:PORT`. */
  get url(): string {
    return this.serve.url;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** What `purser serve` printed, stdout and stderr. */
  output(): string {
    return this.serve.output();
  }

  /** The one-time login link `purser serve` printed when it started. */
  printedLoginLink(): string {
    const link = /one-time login link\): (\S+)/.exec(this.output())?.[1];
    if (link === undefined) throw new Error(`no login link printed:\n${this.output()}`);
    return link;
  }

  /** `purser --home HOME ARGS`, as the owner runs it in a terminal. */
  cli(...args: string[]): Promise<CliResult> {
    return runCli(['--home', this.home, ...args]);
  }

  /** `purser --home HOME ARGS --json`, its output parsed; throws if the command fails. */
  async json<T = Record<string, unknown>>(...args: string[]): Promise<T> {
    const result = await this.cli(...args, '--json');
    if (result.code !== 0)
      throw new Error(`purser ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  /** A fresh one-time login link (each works once), from `purser login`. */
  async loginLink(): Promise<string> {
    return (await this.json<{ url: string }>('login')).url;
  }

  /**
   * Opens the window logged in (a fresh login link, then "Log out" is shown), then, if
   * given, at `route` (`wallet` for `#/wallet`).
   */
  async open(page: Page, route?: string): Promise<void> {
    await page.goto(await this.loginLink());
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
    if (route !== undefined) await page.goto(`${this.url}/app/#/${route}`);
  }

  /** An agent with `flags`, the live source funded with `fundCents`, and one key. */
  agentWithKey(
    name: string,
    flags: string[] = [],
    fundCents?: number,
  ): Promise<{ id: string; key: string }> {
    return agentWithKey(this.home, name, flags, fundCents);
  }
}

interface PurserFixtures {
  /** Names the data folder of `purser` (and of `launchPurser` by default). */
  purserLabel: string;
  /** Extra `purser serve` flags for `purser`. */
  serveArgs: string[];
  /** Launches another Purser, stopped and removed after the test. */
  launchPurser: (options?: PurserOptions) => Promise<Purser>;
  /** A running Purser on a fresh data folder, the test's own. */
  purser: Purser;
}

export const test = base.extend<PurserFixtures>({
  purserLabel: ['e2e', { option: true }],
  serveArgs: [[], { option: true }],
  launchPurser: async ({ purserLabel }, use) => {
    const launched: Purser[] = [];
    await use(async (options = {}) => {
      const purser = new Purser({ label: purserLabel, ...options });
      launched.push(purser);
      return purser.launch();
    });
    for (const purser of launched.reverse()) await purser.dispose();
  },
  purser: async ({ launchPurser, serveArgs }, use) => {
    await use(await launchPurser({ serveArgs }));
  },
});

/**
 * One Purser for every test in the current file or `test.describe` block: launched in a
 * `beforeAll` registered here (so before the spec's own), disposed of in `afterAll`. Use
 * the returned object from the hooks and tests, not at the top level.
 */
export function sharedPurser(options: PurserOptions = {}): Purser {
  const purser = new Purser(options);
  test.beforeAll(async () => {
    await purser.launch();
  });
  test.afterAll(async () => {
    await purser.dispose();
  });
  return purser;
}
