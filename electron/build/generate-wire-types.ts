/**
 * Writes shared/client/wire-types.ts: the agent API's request and answer types, spelled out
 * as plain TypeScript from the zod schemas the server validates with. The client imports its
 * types from there, so the built client (and the package agents install, docs/clients.md)
 * needs neither zod nor any file outside shared/client/ to type-check.
 *
 *   npx tsx electron/build/generate-wire-types.ts          # rewrite it after a schema change
 *   npx tsx electron/build/generate-wire-types.ts --check  # exit 1 if it is out of date
 *
 * test/unit/client-wire-types.test.ts runs the check, so a schema change that is not carried
 * into the client's types fails the tests.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import prettier from 'prettier';
import ts from 'typescript';

const here = join(import.meta.dirname, '..', '..', 'shared', 'client');
const target = join(here, 'wire-types.ts');

/** Each exported name, and the type it spells out (relative to shared/client/). */
const TYPES: Record<string, string> = {
  ErrorCode: "import('../errors').ErrorCode",
  ErrorDetails: "import('../errors').ErrorDetails",
  ErrorEnvelope: "import('../errors').ErrorEnvelope",
  BalanceView: "import('../schemas/agent-api').BalanceView",
  PolicyView: "import('../schemas/agent-api').PolicyView",
  SpendCreateBody: "import('../schemas/agent-api').SpendCreateBody",
  SpendRequestView: "import('../schemas/agent-api').SpendRequestView",
  BudgetRequestCreateBody: "import('../schemas/budget-requests').BudgetRequestCreateBody",
  BudgetRequestView: "import('../schemas/budget-requests').BudgetRequestView",
  BudgetRequestResult:
    "import('zod').z.infer<typeof import('../schemas/budget-requests').agentBudgetRequestView>",
  BudgetRequestList:
    "import('zod').z.infer<typeof import('../schemas/budget-requests').budgetRequestList>",
  ReceiptCreateBody: "import('../schemas/receipts').ReceiptCreateBody",
  ReceiptView: "import('../schemas/receipts').ReceiptView",
  ReceiptResultView: "import('../schemas/receipts').ReceiptResultView",
  X402PayBody: "import('../schemas/x402').X402PayBody",
  X402PaymentView: "import('../schemas/x402').X402PaymentView",
  MppPayBody: "import('../schemas/mpp').MppPayBody",
  MppPaymentView: "import('../schemas/mpp').MppPaymentView",
  PayBody: "import('../schemas/mpp').PayBody",
  PayoutCreateBody: "import('../schemas/payouts').PayoutCreateBody",
  PayoutIntentView: "import('../schemas/payouts').PayoutIntentView",
};

export async function generate(): Promise<string> {
  const probe = join(here, '__wire-types-probe.ts');
  // Expand spells every interface and alias out into its members, down to the leaves.
  const source = [
    'type Expand<T> = T extends readonly (infer U)[] ? Expand<U>[] : T extends object ? { [K in keyof T]: Expand<T[K]> } : T;',
    ...Object.entries(TYPES).map(([name, type]) => `export type ${name} = Expand<${type}>;`),
  ].join('\n');
  const config = ts.getParsedCommandLineOfConfigFile(
    join(here, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error('shared/client/tsconfig.build.json could not be read');
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === probe ? source : readFile(file));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === probe || fileExists(file);
  const program = ts.createProgram([probe], { ...config.options, noEmit: true }, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(probe);
  if (!file) throw new Error('probe not compiled');
  const flags =
    ts.TypeFormatFlags.NoTruncation |
    ts.TypeFormatFlags.InTypeAlias |
    ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;
  const lines: string[] = [];
  const spelled: [name: string, text: string][] = [];
  for (const statement of file.statements) {
    if (!ts.isTypeAliasDeclaration(statement) || !(statement.name.text in TYPES)) continue;
    const type = checker.getTypeAtLocation(statement.name);
    // A union alias keeps its name (import("…").ErrorCode): fine when this file defines it.
    let text = checker
      .typeToString(type, statement, flags)
      .replace(/import\("[^"]+"\)\.(\w+)/g, (whole, name: string) =>
        name in TYPES ? name : whole,
      );
    if (/\bimport\(|\bz\.|Zod/.test(text)) {
      throw new Error(`${statement.name.text} does not spell out as plain types: ${text}`);
    }
    // An object spelled out already (a view inside a larger answer) is named, not repeated.
    for (const [name, earlier] of spelled) {
      if (text !== earlier) text = text.split(earlier).join(name);
    }
    // (Only views of some size: a small shape such as `{ [x: string]: unknown }` means
    // different things in different places.)
    if (text.startsWith('{') && text.length > 120) spelled.push([statement.name.text, text]);
    spelled.sort((a, b) => b[1].length - a[1].length);
    lines.push(`export type ${statement.name.text} = ${text};`);
  }
  const header =
    '// GENERATED by electron/build/generate-wire-types.ts from the zod schemas in\n' +
    '// shared/schemas/ and shared/errors.ts. Do not edit: run\n' +
    '// `npx tsx electron/build/generate-wire-types.ts` after changing them.\n\n';
  const options = (await prettier.resolveConfig(target)) ?? {};
  return prettier.format(header + lines.join('\n\n') + '\n', { ...options, filepath: target });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const text = await generate();
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      process.stderr.write(`${target} is out of date: run npx tsx ${import.meta.filename}\n`);
      process.exitCode = 1;
    }
  } else writeFileSync(target, text);
}
