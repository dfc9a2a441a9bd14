import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The recommended set includes the React Compiler's rules (purity, refs, set-state-in-render...).
    files: ['web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // The core is pure: it runs in the browser and in Node alike. Layers and cycles: .dependency-cruiser.cjs.
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core/ is pure: the command line (cli/) owns the process.' },
        { name: 'window', message: 'core/ is pure: no DOM.' },
        { name: 'document', message: 'core/ is pure: no DOM.' },
      ],
    },
  },
);
