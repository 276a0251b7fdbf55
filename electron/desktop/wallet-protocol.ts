/**
 * The messages between the Electron main process and the wallet's utility process
 * (wallet-process.ts), which runs the same server as `purser serve`. The owner's secret
 * travels once, in the `start` message over the process's own message port: never in
 * argv, the environment or a file. Chain keys are sealed by the OS key store, which only
 * the main process can reach (Electron's safeStorage), so the wallet asks the main process
 * to seal and unseal.
 *
 * Every message is checked on arrival: each side takes the other's word only in this shape.
 */
import { z } from 'zod';

const id = z.number().int().nonnegative();
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const OWNER_TOKEN = /^pot_[0-9A-Za-z]{40}$/;

const toWallet = z.union([
  z.strictObject({
    type: z.literal('start'),
    home: z.string().min(1),
    port: z.number().int().min(0).max(65_535),
    ownerToken: z.string().regex(OWNER_TOKEN),
    rendererDir: z.string().min(1),
    /** better-sqlite3 built for Electron's ABI (npm start); null: node_modules' own build. */
    nativeBinding: z.string().min(1).nullable(),
    /** Whether the main process can seal chain keys (the OS key store is usable). */
    sealer: z.boolean(),
  }),
  z.strictObject({ type: z.literal('login-link'), id, label: z.string().max(100) }),
  z.strictObject({ type: z.literal('sealed'), id, ok: z.literal(true), data: base64 }),
  z.strictObject({
    type: z.literal('sealed'),
    id,
    ok: z.literal(false),
    message: z.string(),
    /** The OS key store refused (UnsealError), as opposed to anything else going wrong. */
    unseal: z.boolean(),
  }),
  z.strictObject({ type: z.literal('stop') }),
]);
export type ToWallet = z.infer<typeof toWallet>;
export type StartMessage = Extract<ToWallet, { type: 'start' }>;

const fromWallet = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('ready'),
    url: z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/),
    port: z.number().int().min(1).max(65_535),
  }),
  z.strictObject({ type: z.literal('failed'), message: z.string() }),
  z.strictObject({ type: z.literal('login-link'), id, url: z.string() }),
  z.strictObject({
    type: z.literal('seal'),
    id,
    op: z.enum(['seal', 'unseal']),
    data: base64,
  }),
  z.strictObject({ type: z.literal('stopped') }),
]);
export type FromWallet = z.infer<typeof fromWallet>;

export function parseToWallet(message: unknown): ToWallet | undefined {
  const parsed = toWallet.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}

export function parseFromWallet(message: unknown): FromWallet | undefined {
  const parsed = fromWallet.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}

/** A message for the log: never the owner token, whatever was sent. */
export function describeMessage(message: unknown): string {
  if (message && typeof message === 'object' && 'type' in message)
    return `a "${String((message as { type: unknown }).type)}" message`;
  return 'a message of no known type';
}

/** The wallet's port when none is asked for: electron/core/server-info.ts's DEFAULT_PORT (a test checks). */
export const DEFAULT_WALLET_PORT = 8402;

/** PURSER_PORT if it is a port (0 picks a free one), else the default. */
export function walletPort(value: string | undefined): number {
  if (value === undefined || !/^\d{1,5}$/.test(value)) return DEFAULT_WALLET_PORT;
  const port = Number(value);
  return port <= 65_535 ? port : DEFAULT_WALLET_PORT;
}
