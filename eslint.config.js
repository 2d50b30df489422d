// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/**
 * Layer rules of docs/architecture.md ("Layers"): who may import whom. Node built-ins come from
 * node:module's own list, bare and `node:` forms ('fs', 'fs/promises', 'node:fs', …), so no module
 * slips through a hand-written pattern.
 */
const builtins = [...new Set(builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])))];
const noBuiltins = (who) => builtins.map((name) => ({ name, message: `${who} must not use Node built-ins.` }));
// On Node 20 the first AsyncLocalStorage run (or an enabled hook) turns on promise hooks for the whole
// process, and every promise of the live room then pays for them (docs/architecture.md "Facts learned the hard way").
const promiseHookImports = ['node:async_hooks', 'async_hooks'].map((name) => ({
  name,
  importNames: ['AsyncLocalStorage', 'createHook', 'AsyncResource'],
  message: 'No promise hooks in the server: pass the value, or key it by an object the callee already gets.',
}));
const electronImport = { name: 'electron', message: 'Only electron/ may import electron.' };
const appCode = (dirs, message) => ({ group: dirs.map((d) => `**/${d}/**`), message });

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
    settings: {
      // Parse .ts/.tsx dependencies too (the default is .js only, which silently finds no cycle).
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })] },
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
          paths: [electronImport, ...noBuiltins('shared/')],
          patterns: [appCode(['server', 'renderer', 'electron', 'seeds', 'scripts', 'tests'], 'shared/ imports no app code.')],
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
          paths: [electronImport, ...noBuiltins('renderer/')],
          patterns: [appCode(['server', 'electron', 'seeds', 'scripts'], 'renderer/ imports only shared/.')],
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
          paths: [
            { name: 'electron', allowImportNames: ['contextBridge', 'ipcRenderer'], message: 'preload may use only contextBridge and ipcRenderer.' },
            ...noBuiltins('The sandboxed preload'),
          ],
          patterns: [appCode(['server', 'renderer', 'main', 'seeds', 'scripts'], 'preload imports only shared/.')],
        },
      ],
    },
  },
  {
    // The desktop main process talks to the server over HTTP and to the renderer over IPC only.
    files: ['electron/main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            appCode(['renderer', 'seeds', 'scripts', 'preload'], 'electron/main imports only electron, Node and shared/.'),
            // The vault signs with the same CMS builder and PKCS#11 binding as the server (pure Node code in
            // server/signatures/); nothing else of the server may enter the desktop app.
            { regex: '(^|/)server/(?!signatures/)', message: 'electron/main imports only electron, Node, shared/ and server/signatures/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        // Seeds are handed in by the entry points (scripts/server.ts, seeds/server.ts): seeds/ depends on server/, never back.
        { paths: [electronImport, ...promiseHookImports], patterns: [appCode(['electron', 'renderer', 'scripts', 'seeds'], 'server/ never imports electron/, renderer/, scripts/ or seeds/.')] },
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
          paths: [electronImport, ...promiseHookImports],
          patterns: [
            appCode(['electron', 'renderer', 'scripts', 'seeds'], 'server/ never imports electron/, renderer/, scripts/ or seeds/.'),
            { regex: '^(\\.\\.?/)+room/', message: 'Domain modules never import the live room (server/room/ is transport only).' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.ts', 'scripts/**/*.ts', 'seeds/**/*.ts', 'server/cli/**/*.ts', 'server/main.ts', 'server/serve.ts'],
    rules: { 'no-console': 'off' },
  },
);
