/**
 * The agent socket (electron/api/agent-listeners.ts): the agent API, and nothing else, on a
 * Unix socket, for agents in containers. Proven the way a container uses it: the README's
 * recipe run in a process with no network at all (a network namespace of its own, with the
 * socket bind-mounted where the recipe's `docker run -v` puts it).
 */
import { execFile, spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PurserClient } from '../../shared/client/purser-client';
import { PURSER_BIN } from '../helpers/cli';
import { quickstarts } from '../helpers/readme';
import { initializeRequest } from '../helpers/mcp';
import { startTestServer } from '../helpers/server';
import { cleanupTmpDirs, tmpHome } from '../helpers/tmp';

afterAll(cleanupTmpDirs);

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

function overSocket(
  socketPath: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath,
        method,
        path,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function withSocket() {
  const socket = join(dirname(tmpHome()), 'agent.sock');
  const t = await startTestServer({ agentSocket: socket });
  return { t, socket };
}

/** Whether this machine lets the test make namespaces (root, or unprivileged user ones). */
const namespaces = spawnSync('unshare', ['--net', '--mount', 'true']).status === 0;

describe('the agent socket', () => {
  it('serves the agent API: the client spends through unix:…, and server.json names it', async () => {
    const { t, socket } = await withSocket();
    const { key } = await t.newAgent();
    const client = new PurserClient({ key, url: `unix:${socket}` });
    const spend = await client.spend({ amount_cents: 1_200, merchant_name: 'AWS', reason: 'x' });
    expect(spend.status).toBe('approved');
    expect((await client.balance()).remaining_budget_cents).toBeGreaterThan(0);
    const info = JSON.parse(readFileSync(join(t.home, 'server.json'), 'utf8')) as {
      agentSocket?: string;
    };
    expect(info.agentSocket).toBe(socket);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
  });

  it('answers nothing of the owner: owner routes with the owner token, the window, sessions', async () => {
    const { t, socket } = await withSocket();
    const owner = { authorization: `Bearer ${t.server.ownerToken}` };
    for (const path of ['/admin/v1/agents', '/admin/v1/approvals', '/app/', '/']) {
      const answer = await overSocket(socket, 'GET', path, owner);
      expect(answer.status, path).toBe(404);
    }
    const session = await overSocket(socket, 'POST', '/admin/v1/sessions', {}, { code: 'x' });
    expect(session.status).toBe(404);
    // The same owner call works on the loopback port: the socket is what refuses it.
    expect((await t.owner('GET', '/admin/v1/agents')).status).toBe(200);
    expect((await overSocket(socket, 'GET', '/v1/openapi.json')).status).toBe(200);
  });

  it('refuses browsers: any Origin or Sec-Fetch-Site', async () => {
    const { t, socket } = await withSocket();
    const { key } = await t.newAgent();
    const auth = { authorization: `Bearer ${key}` };
    expect((await overSocket(socket, 'GET', '/v1/balance', auth)).status).toBe(200);
    const fromPage = await overSocket(socket, 'GET', '/v1/balance', {
      ...auth,
      origin: 'http://localhost',
    });
    expect(fromPage.status).toBe(403);
    const site = await overSocket(socket, 'GET', '/v1/balance', {
      ...auth,
      'sec-fetch-site': 'same-origin',
    });
    expect(site.status).toBe(403);
  });

  it('serves MCP over HTTP on the socket too', async () => {
    const { t, socket } = await withSocket();
    const { key } = await t.newAgent();
    const answer = await overSocket(
      socket,
      'POST',
      '/mcp',
      { authorization: `Bearer ${key}`, accept: 'application/json, text/event-stream' },
      initializeRequest('socket'),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('"serverInfo"');
  });

  it('replaces a stale socket, and refuses (untouched) a file that is not one', async () => {
    const home = tmpHome();
    const socket = join(home, 'agent.sock');
    const first = await startTestServer({ agentSocket: socket, home });
    // A killed run leaves its socket behind: simulate with a listener that is gone.
    await first.server.close();
    const stale = spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socket)}, () => process.exit(0))`,
    ]);
    expect(stale.status).toBe(0);
    expect(lstatSync(socket).isSocket()).toBe(true);
    const second = await startTestServer({ agentSocket: socket, home });
    expect(second.server.info.agentSocket).toBe(socket);
    await second.server.close();

    const file = join(dirname(tmpHome()), 'not-a-socket');
    writeFileSync(file, 'keep me');
    await expect(startTestServer({ agentSocket: file })).rejects.toThrow(/is not a socket/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it("the README's container recipe spends from a process with no network, through the socket", async (context) => {
    if (!namespaces) {
      console.log(
        'skipped: `unshare --net --mount` is not permitted here (needs root or user namespaces)',
      );
      context.skip();
    }
    const { t, socket } = await withSocket();
    const { key } = await t.newAgent();
    const recipe = quickstarts(readme).get('container')?.code;
    expect(recipe, 'README has a <!-- quickstart:container --> block').toBeDefined();
    const inside = join(dirname(tmpHome()), 'inside.sh');
    writeFileSync(inside, recipe ?? '');
    // What `docker run -v "$PURSER_HOME/agent.sock:/run/purser/agent.sock"` does: the socket
    // at that path, in a process with a network namespace of its own (loopback down, no
    // route anywhere).
    // (Asynchronous: the server answering it runs in this very process.)
    const jail = (command: string, env: Record<string, string>) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          'unshare',
          [
            '--net',
            '--mount',
            'sh',
            '-c',
            // A tmpfs over /run, private to the namespace: nothing is left on the host.
            `mount -t tmpfs purser-test /run && mkdir -p /run/purser && ` +
              `touch /run/purser/agent.sock && ` +
              `mount --bind "${socket}" /run/purser/agent.sock && ${command}`,
          ],
          { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
          (error, stdout, stderr) =>
            resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const curl = await jail(`sh ${inside}`, { PURSER_KEY: key });
    expect(curl.status, curl.stderr).toBe(0);
    expect(JSON.parse(curl.stdout)).toMatchObject({ status: 'approved', amount_cents: 1200 });

    // The agent CLI in the same kind of process, by PURSER_URL=unix:…
    const cli = await jail(`"${process.execPath}" "${PURSER_BIN}" --json balance`, {
      PURSER_KEY: key,
      PURSER_URL: 'unix:/run/purser/agent.sock',
    });
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toHaveProperty('remaining_budget_cents');

    // And the namespace really has no network: the loopback port is out of reach from it.
    const tcp = await jail(`"${process.execPath}" "${PURSER_BIN}" balance`, {
      PURSER_KEY: key,
      PURSER_URL: t.url,
    });
    expect(tcp.status).toBe(1);
    expect(tcp.stderr).toMatch(/Cannot reach Purser|network_error|ECONNREFUSED|ENETUNREACH/);
  }, 120_000);
});
