import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Boundaries enforced by tooling: the core and shared code may not import Electron, React
// or the DOM, so the wallet runs the same in the desktop app, `purser serve` and tests.
const shellFree = {
  patterns: [
    {
      group: ['electron', 'electron/*'],
      message: 'The core runs without Electron: put Electron code in electron/desktop/.',
    },
    {
      group: ['react', 'react-dom', 'react-dom/*', 'zustand'],
      message: 'The core and shared code have no UI.',
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
      'no-restricted-imports': ['error', shellFree],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    files: [
      'electron/api/**/*.ts',
      'electron/cli/**/*.ts',
      'electron/cli.ts',
      'electron/mcp/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', shellFree] },
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
