/**
 * The client's transport on Node: node:http (and node:tls), not the global fetch. Three
 * reasons: Node 20 loads its fetch (undici) on first use, ~150 ms before the first byte,
 * which is most of what a `purser spend` costs (docs/performance.md, "Cold start"); fetch
 * cannot reach a Unix socket; and a pinned certificate (an agent listener on another
 * machine, docs/trust-model.md) must be checked before the spending key is sent, which
 * fetch cannot do. Only what the client uses is implemented: one request, its status,
 * Retry-After, and the body as text.
 */
import type { Transport, TransportResponse } from './transport.js';

export interface NodeTarget {
  /** A Unix domain socket to send every request to (PURSER_URL=unix:/path/to/agent.sock). */
  socketPath?: string;
  /**
   * The SHA-256 fingerprint of the server's certificate ("AB:CD:…", as `purser serve`
   * prints it). The connection is refused unless the certificate matches, before anything
   * is sent. Purser's certificates are self-signed, so this pin replaces a CA's signature.
   */
  tlsFingerprint?: string;
}

export function nodeTransport(target: NodeTarget = {}): Transport {
  return async (url, init) => {
    const [http, tls] = await Promise.all([import('node:http'), import('node:tls')]);
    const address = new URL(url);
    const pinned =
      address.protocol === 'https:' ? await pinnedSocket(tls, address, target) : undefined;
    return new Promise<TransportResponse>((resolve, reject) => {
      const request = http.request(
        {
          method: init.method,
          host: address.hostname,
          port: address.port || (address.protocol === 'https:' ? 443 : 80),
          path: `${address.pathname}${address.search}`,
          headers: {
            ...init.headers,
            ...(init.body === undefined ? {} : { 'content-length': Buffer.byteLength(init.body) }),
          },
          socketPath: target.socketPath,
          signal: init.signal,
          ...(pinned ? { createConnection: () => pinned } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          const body = new Promise<string>((done, fail) => {
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
            response.on('error', fail);
            response.on('aborted', () => fail(new Error('the answer was cut off')));
          });
          body.catch(() => undefined); // read (and reported) by text()
          const status = response.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            headers: {
              get: (name) => {
                const value = response.headers[name.toLowerCase()];
                return Array.isArray(value) ? value.join(', ') : (value ?? null);
              },
            },
            text: () => body,
          });
        },
      );
      request.on('error', reject);
      request.end(init.body);
    });
  };
}

/** A TLS connection whose certificate is the pinned one, checked before it is used. */
async function pinnedSocket(
  tls: typeof import('node:tls'),
  address: URL,
  target: NodeTarget,
): Promise<import('node:tls').TLSSocket> {
  const expected = target.tlsFingerprint?.toUpperCase();
  if (!expected) {
    throw new Error(
      `${address.origin} is HTTPS: give the certificate's fingerprint (PURSER_TLS_FINGERPRINT) to pin it`,
    );
  }
  const socket = tls.connect({
    host: address.hostname,
    port: Number(address.port || 443),
    // Self-signed: the CA check cannot pass, the pin below stands in for it.
    rejectUnauthorized: false,
    servername: /^[\d.]+$|:/.test(address.hostname) ? undefined : address.hostname,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  const actual = socket.getPeerCertificate().fingerprint256?.toUpperCase();
  if (actual !== expected) {
    socket.destroy();
    throw new Error(
      `the certificate at ${address.host} is not the pinned one (got ${actual ?? 'none'}): nothing was sent`,
    );
  }
  return socket;
}
