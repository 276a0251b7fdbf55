import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ensurePrivateDir, writePrivateFile } from '../core/paths';
import { closer, routeAs, type AgentListener, type OpenListener } from './agent-listeners';

/**
 * The agent TLS listener (docs/trust-model.md, "Agent listeners"): the agent API, and only
 * it, on an address the owner names, for agents on other machines (or in VMs). TLS with a
 * certificate Purser makes once per data folder; there is no CA to vouch for it, so the
 * agent pins it by its SHA-256 fingerprint (PURSER_TLS_FINGERPRINT), and the client checks
 * the pin before it sends the spending key (shared/client/node-transport.ts).
 */
export interface AgentTlsIdentity {
  key: string;
  cert: string;
  /** "AB:CD:…", what PURSER_TLS_FINGERPRINT takes. */
  fingerprint256: string;
  /** `sha256//…` of the public key, what `curl --pinnedpubkey` takes. */
  publicKeyPin: string;
}

const DIR = 'agent-tls';

/** The listener's certificate: made on first use, kept (0600) so pins survive restarts. */
export async function agentTlsIdentity(home: string): Promise<AgentTlsIdentity> {
  const dir = join(home, DIR);
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  if (!existsSync(keyFile) || !existsSync(certFile)) {
    const { generate } = await import('selfsigned');
    const notAfter = new Date();
    notAfter.setFullYear(notAfter.getFullYear() + 10);
    const made = await generate([{ name: 'commonName', value: 'Purser agent listener' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: notAfter,
    });
    ensurePrivateDir(dir);
    writePrivateFile(keyFile, made.private);
    writePrivateFile(certFile, made.cert);
  }
  const cert = readFileSync(certFile, 'utf8');
  const spki = createPublicKey(cert).export({ type: 'spki', format: 'der' });
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert,
    fingerprint256: new X509Certificate(cert).fingerprint256,
    publicKeyPin: `sha256//${createHash('sha256').update(spki).digest('base64')}`,
  };
}

/** `10.0.0.5:8403` or `[fd00::5]:8403`, as the owner gives it and agents' Host carries it. */
export function parseListenAddress(text: string): { address: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  const address = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!address || !Number.isInteger(port) || port > 65_535 || isIP(address) === 0) {
    throw new Error(
      `--agent-listen takes ADDRESS:PORT with an IP address of this machine, e.g. 10.0.0.5:8403 (got "${text}").`,
    );
  }
  if (address === '0.0.0.0' || address === '::') {
    throw new Error(
      'The agent listener needs the address agents reach this machine at, not a wildcard: Host headers are checked against it.',
    );
  }
  return { address, port };
}

const hostOf = (address: string, port: number) =>
  isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;

export async function listenAgentTls(
  app: FastifyInstance,
  listen: { address: string; port: number },
  identity: AgentTlsIdentity,
): Promise<OpenListener & { fingerprint256: string; publicKeyPin: string }> {
  const listener: AgentListener = { kind: 'tls', hosts: [] };
  const server = createServer(
    { key: identity.key, cert: identity.cert, requestTimeout: 120_000 },
    routeAs(app, listener),
  );
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${listen.port} on ${listen.address} is taken: choose another --agent-listen port.`
            : `Cannot listen for agents on ${hostOf(listen.address, listen.port)}: ${error.message}`,
          { cause: error },
        ),
      );
    server.once('error', failed);
    server.listen(listen.port, listen.address, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const bound = server.address();
  const port = bound && typeof bound === 'object' ? bound.port : listen.port;
  // Only the name agents were told: a request for any other Host (a rebinding page that
  // reached this address through a browser) is refused.
  listener.hosts = [hostOf(listen.address, port).toLowerCase()];
  return {
    url: `https://${hostOf(listen.address, port)}`,
    fingerprint256: identity.fingerprint256,
    publicKeyPin: identity.publicKeyPin,
    close: closer(server),
  };
}
