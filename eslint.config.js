// Lint, and the runtime boundaries of the code base (after VS Code's layers):
//   shared/     plain TypeScript: no Node builtins, Electron, DOM, React or native modules
//               (zod, and rrule-temporal with temporal-polyfill for schedules: plain JS)
//   main/core/  Node only: never Electron, the shell, the bridge or the renderer
//   main/shell/ Electron glue: may use Electron and the core, never the renderer
//   main/bridge Node only: the core over a loopback WebSocket, never Electron
//   preload/    contextBridge only: Electron and shared/, nothing else
//   renderer/   DOM and React: never Node, Electron or main/
// tests/unit/lint-boundaries.test.ts plants violations and checks these rules fire.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';
import plenary from './scripts/eslint/plenary-plugin.js';

const nodeBuiltins = [...new Set(builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => [m, m.split('/')[0]]))];
const nodeOnly = ['better-sqlite3', 'matrix-js-sdk', 'ws', 'electron-updater', 'fast-xml-parser'];

const restrict = (paths, patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message: `This folder must not import "${name}" (runtime boundary, see eslint.config.js).` })),
      patterns: patterns.map((group) => ({ group: [group], message: 'This import crosses a runtime boundary (see eslint.config.js).' })),
    },
  ],
});

const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'location', 'HTMLElement'].map((name) => ({
  name,
  message: 'DOM globals are only available in renderer/.',
}));
const nodeGlobals = ['process', 'require', 'Buffer', '__dirname', '__filename', 'global', 'module'].map((name) => ({
  name,
  message: 'Node globals are not available here.',
}));

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-artifacts/**', 'tests/fixtures/lint/**', '.cache/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    plugins: { plenary },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      ...restrict(['electron', 'react', 'react-dom', ...nodeOnly, ...nodeBuiltins], ['node:*', '**/main/**', '**/renderer/**', '**/preload/**']),
      'no-restricted-globals': ['error', ...domGlobals, ...nodeGlobals],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      ...restrict(['electron', 'react', 'react-dom'], ['**/shell/**', '**/bridge/**', '**/renderer/**', '**/preload/**', 'electron/*']),
      'no-restricted-globals': ['error', ...domGlobals],
      'plenary/no-literal-ui-string': ['error', { checkProperties: true }],
    },
  },
  {
    files: ['main/bridge/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      ...restrict(['electron', 'react', 'react-dom'], ['**/shell/**', '**/renderer/**', '**/preload/**', 'electron/*']),
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['main/shell/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      ...restrict(['react', 'react-dom'], ['**/renderer/**', '**/preload/**', '**/bridge/**']),
      'no-restricted-globals': ['error', ...domGlobals],
      'plenary/no-literal-ui-string': ['error', { checkProperties: true }],
    },
  },
  {
    files: ['preload/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      ...restrict(['react', 'react-dom', ...nodeOnly, ...nodeBuiltins], ['node:*', '**/main/**', '**/renderer/**']),
      'no-restricted-globals': ['error', ...domGlobals.filter((g) => g.name !== 'window'), ...nodeGlobals.filter((g) => g.name !== 'process')],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...restrict(['electron', ...nodeOnly, ...nodeBuiltins], ['node:*', '**/main/**', '**/preload/**', 'electron/*']),
      'no-restricted-globals': ['error', ...nodeGlobals],
      'plenary/no-literal-ui-string': 'error',
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,js,mjs}', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
