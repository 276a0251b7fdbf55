import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Boundaries enforced by tooling: the core and shared code may not import Electron, React
// or the DOM, so the wallet runs the same in the desktop app, `purser serve` and tests.
const shellFree = {
  patterns: [
    {
      // The package only: a gitignore-style group 'electron' would also match the folder in
      // a relative path such as '../electron/core/x'.
      regex: '^electron(/|$)',
      message: 'The core runs without Electron: put Electron code in electron/desktop/.',
    },
    {
      group: ['react', 'react-dom', 'react-dom/*', 'zustand'],
      message: 'The core and shared code have no UI.',
    },
  ],
};

// The core is the wallet itself: the shells (the HTTP API, the desktop app, the CLI) depend on
// it, never the other way round. Relative paths from any depth: `../api/x`, `../../cli`,
// `../../../electron/desktop/y`; `../cli` also names the entry point electron/cli.ts.
// The shells reach the core through its services only (docs/architecture.md); the
// repositories behind them are for tests that check the tables (wallet-internals.ts).
const shellImports = {
  patterns: [
    ...shellFree.patterns,
    {
      group: ['**/core/wallet-internals'],
      message: "Use the wallet's services: the repositories are for tests only.",
    },
  ],
};

const coreImports = {
  patterns: [
    ...shellFree.patterns,
    {
      regex: '^(\\.\\./)+(electron/)?(api|desktop|cli|mcp)(/|$)',
      message:
        'The core may not import the shells: electron/api, electron/desktop, electron/cli and electron/mcp import the core.',
    },
    {
      // HTTP is the API's business: the core speaks domain commands and errors with a kind.
      regex: '^(fastify|@fastify/.*|fastify-.*|@modelcontextprotocol/.*|commander)$',
      message: 'The core knows no transport: HTTP, MCP and the CLI live in the shells.',
    },
  ],
};

// shared/ is what both the renderer and the main process import: plain TypeScript and zod,
// nothing from electron/ (relative or not), no Node built-ins, no Electron.
const sharedImports = {
  paths: builtinModules.map((name) => ({
    name,
    message: 'shared/ also runs in the renderer: no Node built-ins.',
  })),
  patterns: [
    ...shellFree.patterns,
    {
      regex: '^(\\.\\./)+electron(/|$)',
      message: 'shared/ may not import from electron/: move what both sides need into shared/.',
    },
    {
      regex: '^node:',
      message: 'shared/ also runs in the renderer: no Node built-ins.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      '.electron-native/**',
      'test-results/**',
      'playwright-report/**',
      '.purser-dev/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreImports] },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sharedImports] },
  },
  {
    files: [
      'electron/api/**/*.ts',
      'electron/cli/**/*.ts',
      'electron/cli.ts',
      'electron/mcp/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', shellImports] },
  },
  {
    files: ['electron/desktop/**/*.ts', 'electron/main.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: shellImports.patterns.filter(
            (p) => p.group?.[0] === '**/core/wallet-internals',
          ),
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'node:*', '**/electron/core/**'],
              message: 'The renderer talks to the owner API only.',
            },
          ],
        },
      ],
    },
  },
);
