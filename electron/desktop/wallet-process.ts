/**
 * The entry Electron runs in a utility process (`utilityProcess.fork`, wallet-host.ts):
 * the wallet and its API, the same server as `purser serve`, beside the main process.
 * Everything it does is in wallet-service.ts, which the tests run under Node.
 */
import { startServer } from '../api/server';
import { serveWallet } from './wallet-service';

serveWallet(process.parentPort, {
  startServer,
  exit: (code) => process.exit(code),
});
