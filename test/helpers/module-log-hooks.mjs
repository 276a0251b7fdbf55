// Module hooks (node --import test/helpers/module-log.mjs) that write every module URL a
// process resolves to the file in PURSER_MODULE_LOG: which modules a command loads.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.PURSER_MODULE_LOG, `${result.url}\n`);
  return result;
}
