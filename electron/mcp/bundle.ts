import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { CliError } from '../cli/cli-error';
import { ownerClient } from '../cli/owner-client';
import { emit, visible } from '../cli/output';
import { packageRoot, packageVersion } from '../core/package-root';

/**
 * An MCP Bundle (`.mcpb`, the format of `@anthropic-ai/mcpb`): a zip with a manifest and
 * the server, which Claude Desktop installs with one click and runs with its own Node. The
 * server is `purser mcp` built into one file (out/mcpb/purser-mcp.mjs, by `npm install` or
 * `npm run build`). The spending key rides in the manifest as the default of a sensitive
 * setting, so Claude Desktop keeps it in the OS keychain once installed; the bundle itself
 * is then a credential of the agent, written 0600 like an MCP configuration file
 * (docs/trust-model.md, "Agent integrations"). test/integration/mcp-bundle.test.ts checks
 * it with the mcpb tool and runs its server the way Claude Desktop does.
 */
export const BUNDLE_SERVER = join(packageRoot(), 'out', 'mcpb', 'purser-mcp.mjs');
const ENTRY = 'server/purser-mcp.mjs';

export interface BundlePlace {
  key: string;
  /** PURSER_URL: only when Purser runs on a fixed port of the owner's own. */
  url?: string;
  /** PURSER_HOME: only when the data folder is not the default one. */
  home?: string;
}

export function bundleManifest(place: BundlePlace): Record<string, unknown> {
  return {
    manifest_version: '0.3',
    name: 'purser',
    display_name: 'Purser',
    version: packageVersion(),
    description: 'Ask your Purser wallet before spending: budgets, approvals and x402 payments.',
    long_description:
      "Purser governs what this agent spends. Its tools ask Purser to decide each purchase against the agent's policy (approved, declined or needs approval), wait for the owner's approval, report receipts and pay x402 paywalls from the agent's Purser-held wallet. No tool can approve, change a policy or issue keys.",
    author: { name: 'Purser' },
    license: 'UNLICENSED',
    server: {
      type: 'node',
      entry_point: ENTRY,
      mcp_config: {
        command: 'node',
        args: [`\${__dirname}/${ENTRY}`],
        env: {
          PURSER_KEY: '${user_config.purser_key}',
          PURSER_URL: '${user_config.purser_url}',
          ...(place.home ? { PURSER_HOME: place.home } : {}),
        },
      },
    },
    user_config: {
      purser_key: {
        type: 'string',
        title: 'Spending key',
        description: "This agent's Purser spending key (psk_…), issued for this bundle.",
        sensitive: true,
        required: true,
        default: place.key,
      },
      purser_url: {
        type: 'string',
        title: 'Purser URL',
        description:
          'Where Purser listens. Leave empty to find the running Purser through its data folder.',
        required: false,
        default: place.url ?? '',
      },
    },
    compatibility: { platforms: ['darwin', 'win32', 'linux'], runtimes: { node: '>=20.19' } },
  };
}

/** Writes the bundle to `file`, mode 0600, atomically. */
export function writeMcpBundle(file: string, place: BundlePlace): void {
  if (!existsSync(BUNDLE_SERVER)) {
    throw new Error(
      `The bundle's server is not built (${BUNDLE_SERVER}): run \`npm run build:cli\` in Purser's folder.`,
    );
  }
  const zip = zipSync({
    'manifest.json': new TextEncoder().encode(
      `${JSON.stringify(bundleManifest(place), null, 2)}\n`,
    ),
    [ENTRY]: readFileSync(BUNDLE_SERVER),
  });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, zip, { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * `purser mcp install --client claude-desktop --mcpb FILE`: a new key for the agent, in a
 * bundle to open with Claude Desktop. A key that went into no file is revoked again.
 */
export async function installBundle(options: {
  agent: string;
  file: string;
  home: string | undefined;
  json: boolean;
  url: string | undefined;
  writeHome: string | undefined;
}): Promise<void> {
  const owner = ownerClient(options.home);
  const issued = await owner.call('issueKey', {
    params: { id: options.agent },
    body: { label: 'mcp:claude-desktop-bundle' },
  });
  const file = resolve(options.file);
  try {
    writeMcpBundle(file, {
      key: issued.key,
      url: options.url,
      home: options.writeHome,
    });
  } catch (error) {
    await owner.call('revokeKey', { params: { id: issued.id } }).catch(() => undefined);
    throw new CliError(
      `Cannot write ${file}: ${(error as Error).message} (the key issued for it was revoked)`,
    );
  }
  emit(
    options.json,
    {
      status: 'bundled',
      client: 'claude-desktop',
      file,
      agent_id: options.agent,
      key_id: issued.id,
      pinned_url: options.url ?? null,
    },
    () =>
      [
        `Wrote ${visible(file)} (mode 0600): Purser's MCP Bundle for ${visible(options.agent)}, key ${issued.id}.`,
        '  Open it with Claude Desktop (double-click, or Settings → Extensions → Install Extension).',
        '  It holds the key: delete the file once installed (Claude Desktop keeps the key in the keychain).',
      ].join('\n'),
  );
}
