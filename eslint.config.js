// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/** Layer rules of docs/architecture.md ("Layout"): who may import whom. */
const nodeBuiltins = { group: ['node:*'], message: 'shared/ and renderer/ must not use Node built-ins.' };
const electronImport = { name: 'electron', message: 'Only electron/ may import electron.' };

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'out/**', 'data/**', 'release/**', 'coverage/**', 'test-results/**', 'server/db/migrations/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.server.json', './tsconfig.web.json', './tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      // Fastify handlers are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
      // Gives wrong answers when a file belongs to several tsconfigs (shared/ is in all three).
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // No import cycles (docs/architecture.md "Layers"): a cycle means two modules are one concern or a
    // rule sits in the wrong layer. import-x skips `import type` (erased at build time).
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })] },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // shared/: pure contracts and domain rules: no electron, no node:*, no DOM, no app code.
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [nodeBuiltins, { group: ['**/server/**', '**/renderer/**', '**/electron/**'], message: 'shared/ imports no app code.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'tests/unit/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [nodeBuiltins, { group: ['**/server/**', '**/electron/**'], message: 'renderer/ imports only shared/.' }],
        },
      ],
    },
  },
  {
    // The preload runs sandboxed: only electron's contextBridge/ipcRenderer and shared/.
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', allowImportNames: ['contextBridge', 'ipcRenderer'], message: 'preload may use only contextBridge and ipcRenderer.' }],
          patterns: [nodeBuiltins, { group: ['**/server/**', '**/renderer/**', '**/main/**'], message: 'preload imports only shared/.' }],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronImport], patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'server/ never imports electron/ or renderer/.' }] },
      ],
    },
  },
  {
    // Domains own their rules; room/ is transport and depends on them, never the other way round.
    files: ['server/**/*.ts'],
    ignores: ['server/room/**', 'server/app.ts', 'server/modules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [
            { group: ['**/electron/**', '**/renderer/**'], message: 'server/ never imports electron/ or renderer/.' },
            { regex: '^(\\.\\.?/)+room/', message: 'Domain modules never import the live room (server/room/ is transport only).' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.ts', 'scripts/**/*.ts', 'seeds/**/*.ts', 'server/cli/**/*.ts', 'server/main.ts'],
    rules: { 'no-console': 'off' },
  },
);
