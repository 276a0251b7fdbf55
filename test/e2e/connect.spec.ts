/**
 * Connect an agent from the window, in Chromium against a real `purser serve` whose HOME is
 * a temporary folder (so the MCP client's configuration lands there, never in the real
 * home): Connect → Claude Code writes ~/.claude.json; the test then starts the MCP server
 * that file names with the SDK's client over stdio, a separate process exactly as Claude
 * Code would, and spends through its tool; the dialog turns "Waiting for the first
 * request…" into that request, and the card keeps showing it once the dialog is closed.
 * Connect → Shell script shows the snippet with the key and URL, which, pasted into a file
 * and run by bash, spends, and the card shows that request too. axe-core on the dialog, in
 * both themes, at each step.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Locator, Page } from '@playwright/test';
import { expect, test, type Purser } from './fixtures';
import { readmeScreenshot } from './readme-screenshot';

test.use({ purserLabel: 'connect' });

/** The owner's home for `purser serve`: where Claude Code's ~/.claude.json is looked for. */
let userHome = '';
test.beforeEach(() => {
  userHome = mkdtempSync(join(tmpdir(), 'connect-user-home-'));
});
test.afterEach(() => {
  rmSync(userHome, { recursive: true, force: true });
});

const homeEnv = () => ({
  HOME: userHome,
  XDG_CONFIG_HOME: join(userHome, '.config'),
  APPDATA: join(userHome, 'AppData', 'Roaming'),
});

const card = (page: Page, name: string): Locator =>
  page.locator('article.agent-card').filter({ has: page.getByRole('heading', { name }) });

/** No serious or critical axe-core violation in the dialog, light and dark. */
async function axeBothThemes(page: Page, step: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).include('dialog[open]').analyze();
    const serious = results.violations.filter((v) =>
      ['serious', 'critical'].includes(v.impact ?? ''),
    );
    expect(
      serious.map((v) => `${step} ${scheme} ${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function newAgent(purser: Purser, name: string): Promise<string> {
  const agent = await purser.json<{ id: string }>(
    'agents',
    'create',
    '--name',
    name,
    '--budget-cents',
    '5000',
  );
  // The owner's money set aside for agents (the Wallet page does the same).
  expect((await purser.cli('funding', 'deposit', '--cents', '100000')).code).toBe(0);
  return agent.id;
}

async function openAgents(page: Page, purser: Purser): Promise<void> {
  await purser.open(page);
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: 'Agents' })
    .click();
  await expect(page.getByRole('heading', { name: 'Agents', level: 2 })).toBeVisible();
}

test('Connect → Claude Code writes its configuration; a real MCP client spends with it, and the card shows the request live', async ({
  page,
  launchPurser,
}) => {
  test.setTimeout(120_000);
  const purser = await launchPurser({ env: homeEnv() });
  const agentId = await newAgent(purser, 'claude-bot');
  await openAgents(page, purser);
  const bot = card(page, 'claude-bot');

  // By keyboard: the dialog takes the focus, Escape closes it and gives it back.
  const connectButton = bot.getByRole('button', { name: 'Connect', exact: true });
  await connectButton.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Connect claude-bot' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /Claude Code/ })).toBeFocused();
  await expect(dialog.getByRole('radio', { name: /Claude Code/ })).toBeChecked();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(connectButton).toBeFocused();

  await connectButton.click();
  await expect(dialog.getByRole('radio')).toHaveCount(7);
  // Focus stays in the dialog (a modal <dialog>: the page behind is inert).
  for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))).toBe(true);
  await axeBothThemes(page, 'choose');
  const write = dialog.getByRole('checkbox', { name: /Add Purser to Claude Code's configuration/ });
  await expect(write).toBeChecked();
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();

  await expect(dialog.getByText("Purser is now in Claude Code's configuration.")).toBeVisible();
  const file = join(userHome, '.claude.json');
  await expect(dialog).toContainText(`Written to ${file}`);
  await expect(dialog).toContainText('This is the only time Purser shows this key.');
  const shownKey = await dialog.getByLabel('Spending key').inputValue();
  expect(shownKey).toMatch(/^psk_live_[0-9A-Za-z]{32,}$/);
  const live = dialog.locator('.connect-live');
  await expect(live).toHaveText('Waiting for the first request from Claude Code…');
  await expect(live).toHaveAttribute('role', 'status');
  await axeBothThemes(page, 'connected');

  // The file the window wrote, as Claude Code reads it.
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const config = JSON.parse(readFileSync(file, 'utf8')) as {
    mcpServers: { purser: { command: string; args: string[]; env: Record<string, string> } };
  };
  const entry = config.mcpServers.purser;
  expect(entry.env.PURSER_KEY).toBe(shownKey);
  expect(entry.env.PURSER_HOME).toBe(purser.home);

  // A real MCP client starts the server the entry names (a separate process) and spends.
  const client = new Client({ name: 'claude-code-stand-in', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: entry.command,
      args: entry.args,
      env: entry.env,
      stderr: 'ignore',
    }),
  );
  try {
    const spent = await client.callTool({
      name: 'request_spend',
      arguments: {
        amount_cents: 300,
        currency: 'usd',
        merchant_name: 'OpenAI',
        reason: 'tokens for a refactor',
      },
    });
    expect(spent.isError, JSON.stringify(spent.content)).toBeFalsy();
    expect(spent.structuredContent).toMatchObject({ status: 'approved' });
  } finally {
    await client.close();
  }

  // Live, without a reload: the dialog shows that request and its decision.
  await expect(live).toHaveText('First request from Claude Code: $3.00 at OpenAI, approved.');
  await expect(live).toHaveAttribute('data-first-request', 'approved');
  await page.setViewportSize({ width: 1100, height: 900 });
  await readmeScreenshot(page, 'connect');

  // Closed, the key is gone from the page; the card keeps the first request.
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(connectButton).toBeFocused();
  expect(await page.content()).not.toContain(shownKey);
  await expect(bot.locator('.connect-watch')).toContainText(
    'First request from Claude Code: $3.00 at OpenAI, approved.',
  );
  await expect(bot.locator('.key-list')).toContainText('mcp:claude-code');
  await expect(bot.locator('.agent-meter-figures')).toHaveText(/\$3\.00 of \$50\.00/);

  // Connecting Claude Code again changes nothing and issues no second key.
  await connectButton.click();
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog.getByText('Claude Code is already connected to claude-bot.')).toBeVisible();
  await expect(dialog.getByLabel('Spending key')).toHaveCount(0);
  await page.keyboard.press('Escape');
  const keys = await purser.json<unknown[]>('keys', 'list', agentId);
  expect(keys).toHaveLength(1);
});

test('Connect → Shell script shows the snippet with the key and URL, which spends as pasted', async ({
  page,
  context,
  launchPurser,
}) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const purser = await launchPurser({ env: homeEnv() });
  await newAgent(purser, 'cron-job');
  await openAgents(page, purser);
  const job = card(page, 'cron-job');
  await job.getByRole('button', { name: 'Connect', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Connect cron-job' });
  await dialog.getByRole('radio', { name: /Shell script/ }).check();
  await expect(dialog.getByRole('checkbox')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();

  const key = await dialog.getByLabel('Spending key').inputValue();
  const snippet = dialog.getByRole('region', { name: 'agent.sh' });
  const text = (await snippet.locator('pre').textContent()) ?? '';
  expect(text).toContain(`export PURSER_KEY=${key}`);
  expect(text).toContain(`export PURSER_URL=${purser.url}`);
  expect(text).toContain('purser spend --amount-cents 1200 --merchant AWS');
  await snippet.getByRole('button', { name: 'Copy agent.sh' }).click();
  await expect(dialog.getByText('Copied to the clipboard.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  await axeBothThemes(page, 'snippet');
  await expect(dialog.locator('.connect-live')).toHaveText(
    'Waiting for the first request from Shell script…',
  );

  // Pasted into a file and run by bash: an agent process with nothing else set.
  const script = join(userHome, 'agent.sh');
  writeFileSync(script, text);
  const env = { ...process.env };
  for (const name of ['PURSER_KEY', 'PURSER_URL', 'PURSER_HOME']) Reflect.deleteProperty(env, name);
  const ran = await new Promise<string>((resolve) =>
    execFile('bash', [script], { cwd: userHome, env, timeout: 60_000 }, (_e, stdout, stderr) =>
      resolve(stdout + stderr),
    ),
  );
  expect(ran).toContain('approved: go ahead');
  await expect(dialog.locator('.connect-live')).toHaveText(
    'First request from Shell script: $12.00 at AWS, approved.',
  );
});
