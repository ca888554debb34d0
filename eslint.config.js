import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // Layer rules (like VS Code's layering check): each folder may import only the layers below it.
  //   contract (pure types/data + zod schemas)  <-  core  <-  shell-common  <-  electron | web-bridge | cli
  //   preload and renderer: the contract only (types, and the pure-data modules at run time).
  // A later block for the same files replaces an earlier one, so each folder's list is complete.
  ...layer(['src-main/contract/**/*.ts'], ['electron', 'core', 'shell-common', 'electron-shell', 'web-bridge', 'cli']),
  // The core runs in the CLI, the tests and the web bridge: no shell, no Electron.
  ...layer(['src-main/core/**/*.ts'], ['electron', 'shell-common', 'electron-shell', 'web-bridge', 'cli']),
  ...layer(['src-main/shell-common/**/*.ts'], ['electron', 'electron-shell', 'web-bridge', 'cli']),
  ...layer(['src-main/web-bridge/**/*.ts'], ['electron', 'electron-shell', 'cli']),
  // The CLI reaches the core through core/facade.ts only; the `token` fast path (and output.ts, which
  // it shares) imports a few leaves directly: the facade would load zod and the stores first.
  ...layer(['src-main/cli/**/*.ts'], ['electron', 'electron-shell', 'web-bridge', 'core-but-facade']),
  ...layer(['src-main/cli/{fast-*,index,startup-trace,output}.ts'], ['electron', 'electron-shell', 'web-bridge']),
  ...layer(['src-main/electron/**/*.ts'], ['web-bridge', 'cli']),
  // The sandboxed preload and the page: the contract only; its zod schemas (api.ts) as types only.
  ...layer(['src-preload/**/*.ts'], ['main-but-contract', 'contract-schemas']),
  ...layer(['src-renderer/**/*.{ts,tsx}'], ['electron', 'main-but-contract', 'contract-schemas']),
);

/** What each layer name forbids, as import-specifier patterns. */
function forbidden(name) {
  switch (name) {
    case 'electron':
      return [{ regex: '^electron(/.*)?$', message: 'Only src-main/electron and the preload may import electron.' }];
    case 'electron-shell':
      return [{ regex: '(^|/)electron/', message: 'src-main/electron is the Electron shell: move what is shared to src-main/shell-common.' }];
    case 'core':
      return [{ regex: '(^|/)core/', message: 'The contract is pure types, data and schemas: it imports nothing from the core.' }];
    case 'shell-common':
      return [{ regex: '(^|/)shell-common/', message: 'shell-common serves the shells; the core and the contract do not import it.' }];
    case 'web-bridge':
      return [{ regex: '(^|/)web-bridge/', message: 'Nothing imports the web bridge shell; share through core or shell-common.' }];
    case 'cli':
      return [{ regex: '(^|/)cli/', message: 'Nothing imports the CLI shell; share through core.' }];
    case 'core-but-facade':
      return [{ regex: '(^|/)core/(?!facade\\.js$)', message: 'The CLI uses the core through core/facade.ts (add what it needs there).' }];
    case 'main-but-contract':
      return [{ regex: '(^|/)src-main/(?!contract/)', message: 'The preload and the renderer import only src-main/contract.' }];
    case 'contract-schemas':
      return [
        { regex: '(^|/)contract/(api|index)\\.js$', allowTypeImports: true, message: 'contract/api.ts holds zod schemas: import its types only (names: contract/methods.ts).' },
        { regex: '^zod(/.*)?$', allowTypeImports: true, message: 'No zod in the preload or the page.' },
      ];
    default:
      throw new Error(`unknown layer ${name}`);
  }
}

function layer(files, names) {
  return [{ files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: names.flatMap(forbidden) }] } }];
}
