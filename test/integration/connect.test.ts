/**
 * The window's Connect, `POST /admin/v1/agents/:id/connect`, over real HTTP against a real
 * server whose clients' home is a temporary folder (test/helpers/server.ts): an MCP
 * client's configuration is written where that client reads it, through the code of
 * `purser mcp install`, and the entry it writes starts an MCP server (the SDK's client over
 * stdio) that spends; a second Connect issues no second key; the other ways in get the
 * README's snippets with the key and URL filled in, and the shell and Python ones spend as
 * pasted. Bad input is the error envelope; nobody but the owner may call it, and no path is
 * taken from the caller.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it, vi } from 'vitest';
import {
  CONTAINER_QUICKSTART,
  PYTHON_QUICKSTART,
  SHELL_QUICKSTART,
  TYPESCRIPT_QUICKSTART,
} from '../../electron/api/connect-snippets';
import { PURSER_BIN } from '../../electron/mcp/install-entry';
import type { OwnerAnswer } from '../../shared/contract/owner';
import type { ErrorEnvelope } from '../../shared/errors';
import { quickstarts } from '../helpers/readme';
import { startTestServer, type TestServer } from '../helpers/server';

vi.setConfig({ testTimeout: 90_000 });

type Connected = OwnerAnswer<'connectAgent'>;
interface Entry {
  command: string;
  args: string[];
  env: Record<string, string>;
}

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The clients' home of a test server: HOME, XDG_CONFIG_HOME and APPDATA point inside it. */
const userHome = (t: TestServer) => join(dirname(t.home), 'user-home');

const connect = (t: TestServer, id: string, body: unknown) =>
  t.owner<Connected>('POST', `/admin/v1/agents/${encodeURIComponent(id)}/connect`, body);

const keysOf = async (t: TestServer, id: string) =>
  (await t.call('listKeys', { params: { id } })).body.keys;

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** An environment with nothing of Purser's in it: what a snippet needs, it sets itself. */
function bareEnv(): Record<string, string> {
  const ours = ['PURSER_KEY', 'PURSER_URL', 'PURSER_HOME', 'PURSER_PORT'];
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !ours.includes(e[0]),
    ),
  );
}

describe('POST /admin/v1/agents/:id/connect', () => {
  it('Claude Code: writes the entry into ~/.claude.json of the server’s home, which a real MCP client then spends with; again changes nothing', async () => {
    const t = await startTestServer();
    const { agent } = await t.newAgent({ name: 'coder' });
    const file = join(userHome(t), '.claude.json');
    // What Claude Code already keeps there stays.
    mkdirSync(userHome(t), { recursive: true });
    writeFileSync(file, JSON.stringify({ numStartups: 3, mcpServers: { gh: { command: 'x' } } }));

    const res = await connect(t, agent.id, { client: 'claude-code', write_config: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const answer = res.body;
    expect(answer).toMatchObject({
      client: 'claude-code',
      agent_id: agent.id,
      url: t.url,
      config: { path: file, written: true, status: 'installed', backup: expect.any(String) },
      snippets: [],
    });
    expect(answer.key?.key).toMatch(/^psk_live_[0-9A-Za-z]{32,}$/);
    expect(answer.key).toMatchObject({ id: answer.key_id, label: 'mcp:claude-code' });
    expect(answer.notes).toContain('Restart Claude Code to load it.');

    const written = JSON.parse(readFileSync(file, 'utf8')) as {
      numStartups: number;
      mcpServers: { gh: unknown; purser: Entry };
    };
    expect(written.numStartups).toBe(3);
    expect(written.mcpServers.gh).toEqual({ command: 'x' });
    const entry = written.mcpServers.purser;
    expect(entry.args).toEqual([PURSER_BIN, 'mcp']);
    expect(entry.env).toEqual({ PURSER_KEY: answer.key?.key, PURSER_HOME: t.home });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(userHome(t)).filter((n) => n.includes('purser-backup'))).toHaveLength(1);
    // Issued like any key: listed, and in the ledger.
    expect(await keysOf(t, agent.id)).toHaveLength(2);
    const ledger = await t.call('ledgerPage', { query: { agent_id: agent.id } });
    expect(ledger.body.entries.map((e) => e.type)).toContain('key.issued');

    // The entry, started as the client starts it, spends as the agent.
    const mcp = new Client({ name: 'connect-test', version: '1.0.0' });
    await mcp.connect(
      new StdioClientTransport({ ...entry, env: { ...bareEnv(), ...entry.env }, stderr: 'pipe' }),
    );
    try {
      const spent = await mcp.callTool({
        name: 'request_spend',
        arguments: {
          amount_cents: 300,
          currency: 'usd',
          merchant_name: 'OpenAI',
          reason: 'tokens for a refactor',
        },
      });
      expect(spent.isError, JSON.stringify(spent.content)).toBeFalsy();
      expect(spent.structuredContent).toMatchObject({ status: 'approved', amount_cents: 300 });
    } finally {
      await mcp.close();
    }

    // Connect again: the entry's key still works for this agent, so no key and no write.
    const before = readFileSync(file);
    const again = await connect(t, agent.id, { client: 'claude-code', write_config: true });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      key: null,
      key_id: answer.key_id,
      config: { written: false, status: 'unchanged', backup: null },
    });
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(await keysOf(t, agent.id)).toHaveLength(2);
  });

  it('Claude Desktop and Cursor: their own files; without write_config, the entry to paste and nothing written', async () => {
    const t = await startTestServer();
    const { agent } = await t.newAgent({ mode: 'test' });
    const desktop = await connect(t, agent.id, { client: 'claude-desktop', write_config: true });
    expect(desktop.status).toBe(200);
    const desktopFile =
      process.platform === 'darwin'
        ? join(
            userHome(t),
            'Library',
            'Application Support',
            'Claude',
            'claude_desktop_config.json',
          )
        : join(userHome(t), '.config', 'Claude', 'claude_desktop_config.json');
    expect(desktop.body.config).toEqual({
      path: desktopFile,
      written: true,
      status: 'installed',
      backup: null,
    });
    expect(readFileSync(desktopFile, 'utf8')).toContain(desktop.body.key?.key);

    const cursor = await connect(t, agent.id, { client: 'cursor' });
    expect(cursor.status).toBe(200);
    const cursorFile = join(userHome(t), '.cursor', 'mcp.json');
    expect(cursor.body.config).toEqual({
      path: cursorFile,
      written: false,
      status: null,
      backup: null,
    });
    expect(existsSync(cursorFile)).toBe(false);
    const key = cursor.body.key?.key ?? '';
    expect(key).toMatch(/^psk_test_/);
    expect(cursor.body.snippets).toHaveLength(1);
    const snippet = cursor.body.snippets[0];
    expect(snippet).toMatchObject({ title: cursorFile, language: 'json' });
    const pasted = JSON.parse(snippet?.text ?? '') as { mcpServers: { purser: Entry } };
    expect(pasted.mcpServers.purser.env.PURSER_KEY).toBe(key);
    expect(pasted.mcpServers.purser.args).toEqual([PURSER_BIN, 'mcp']);
    expect(cursor.body.notes.join(' ')).toContain(cursorFile);
  });

  it('shell, TypeScript, Python, container: the README’s snippets, key and URL filled in; the shell and Python ones spend as pasted', async () => {
    const t = await startTestServer();
    const { agent } = await t.newAgent({ name: 'scripts' });
    const blocks = quickstarts(readme);
    // The snippets are the README's blocks, word for word.
    expect(blocks.get('shell')?.code).toBe(SHELL_QUICKSTART);
    expect(blocks.get('typescript')?.code).toBe(TYPESCRIPT_QUICKSTART);
    expect(blocks.get('container')?.code).toBe(CONTAINER_QUICKSTART);
    const python = /## Quickstart \(Python\)[\s\S]*?```python\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(python).toBe(PYTHON_QUICKSTART);

    const answers: Partial<Record<string, Connected>> = {};
    for (const client of ['shell', 'typescript', 'python', 'container'] as const) {
      const res = await connect(t, agent.id, { client });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const key = res.body.key?.key ?? '';
      expect(key).toMatch(/^psk_live_/);
      expect(res.body.key?.label).toBe(`connect:${client}`);
      expect(res.body.config).toBeNull();
      const text = res.body.snippets.map((s) => s.text).join('\n');
      expect(text).toContain(`PURSER_KEY=${key}`);
      if (client !== 'container') expect(text).toContain(`PURSER_URL=${t.url}`);
      answers[client] = res.body;
    }
    expect(answers.typescript?.snippets.map((s) => s.title)).toEqual([
      "In the agent's project",
      'agent.mjs',
    ]);
    expect(answers.typescript?.snippets[1]?.text).toBe(TYPESCRIPT_QUICKSTART);
    const container = answers.container?.snippets ?? [];
    expect(container[0]?.text).toContain(`${t.home}/agent.sock:/run/purser/agent.sock`);
    expect(container[1]?.text).toBe(CONTAINER_QUICKSTART);
    // This server serves no agent socket: the owner is told how to start it.
    expect(answers.container?.notes.join(' ')).toContain('purser serve --agent-socket');
    expect(await keysOf(t, agent.id)).toHaveLength(5);

    // Pasted into a file and run, in a folder of its own, with nothing of Purser's set.
    const scratch = join(dirname(t.home), 'agent');
    mkdirSync(scratch);
    const shell = answers.shell?.snippets[0];
    writeFileSync(join(scratch, 'agent.sh'), shell?.text ?? '');
    const ranShell = await run('bash', ['agent.sh'], scratch, bareEnv());
    expect(ranShell.stdout, ranShell.stderr).toContain('approved: go ahead');

    if (spawnSync('python3', ['--version']).status === 0) {
      const [terminal, file] = answers.python?.snippets ?? [];
      expect(file?.title).toBe('agent.py');
      writeFileSync(join(scratch, 'agent.py'), file?.text ?? '');
      const ranPython = await run('bash', ['-c', terminal?.text ?? 'false'], scratch, bareEnv());
      expect(ranPython.code, ranPython.stderr).toBe(0);
      expect(ranPython.stdout).toContain('approved');
    }
  });

  it('refuses bad input with the envelope, and issues nothing for it', async () => {
    const t = await startTestServer();
    const { agent } = await t.newAgent();
    const refusals: [unknown, number][] = [
      [{ client: 'vim' }, 400],
      [{}, 400],
      [{ client: 'shell', write_config: true }, 400],
      [{ client: 'claude-code', write_config: 'yes' }, 400],
      // No path from the caller, in any spelling.
      [{ client: 'claude-code', write_config: true, config: '/tmp/elsewhere.json' }, 400],
      [{ client: 'claude-code', write_config: true, path: '/etc/passwd' }, 400],
    ];
    for (const [body, status] of refusals) {
      const res = await connect(t, agent.id, body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect((res.body as unknown as ErrorEnvelope).error.code).toBe('invalid_request');
    }
    const missing = await connect(t, 'agt_nobody', { client: 'shell' });
    expect(missing.status).toBe(404);

    // A configuration that is not JSON is left as it is: 409, and no key is left behind.
    const file = join(userHome(t), '.cursor', 'mcp.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '// mine\n{}');
    const broken = await connect(t, agent.id, { client: 'cursor', write_config: true });
    expect(broken.status).toBe(409);
    expect((broken.body as unknown as ErrorEnvelope).error.message).toContain('not valid JSON');
    expect(readFileSync(file, 'utf8')).toBe('// mine\n{}');
    expect(await keysOf(t, agent.id)).toHaveLength(1);

    const revoked = await t.newAgent({ name: 'gone' });
    await t.call('revokeAgent', { params: { id: revoked.agent.id } });
    const late = await connect(t, revoked.agent.id, { client: 'shell' });
    expect(late.status).toBe(409);
  });

  it('only the owner: no credentials, a spending key, or a foreign page are refused; a window session may', async () => {
    const t = await startTestServer();
    const { agent, key } = await t.newAgent();
    const path = `/admin/v1/agents/${agent.id}/connect`;
    const body = JSON.stringify({ client: 'claude-code', write_config: true });
    const post = (headers: Record<string, string>) =>
      t.raw(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${key}` })).status).toBe(401);
    // A page elsewhere, even holding the owner's token, is refused by its Origin.
    const foreign = await post({
      authorization: `Bearer ${t.server.ownerToken}`,
      origin: 'http://evil.example',
    });
    expect(foreign.status).toBe(403);
    // A form post from a page cannot even be read as JSON.
    const form = await t.raw(path, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${t.server.ownerToken}` },
      body,
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(existsSync(join(userHome(t), '.claude.json'))).toBe(false);
    expect(await keysOf(t, agent.id)).toHaveLength(1);

    const code = /#code=([0-9A-Za-z]+)$/.exec(t.server.loginUrl())?.[1];
    const login = await t.raw('/admin/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    const token = (login.body as unknown as OwnerAnswer<'logIn'>).token;
    const session = await post({ authorization: `Bearer ${token}`, origin: t.url });
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    expect(existsSync(join(userHome(t), '.claude.json'))).toBe(true);
  });
});
