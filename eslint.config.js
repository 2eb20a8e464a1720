// typescript-eslint's recommended, type-checked rules over src/, test/ and scripts/; formatting is Prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // AssemblyScript (src/**/*.as.ts) is checked by its own compiler, scripts/build-wasm.mjs.
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'scratch/', 'test/fixtures/', 'bin/', 'src/**/*.as.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring a key away, a policy's unused options).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // A CLI awaits what it starts; a floating promise is a lost error or an exit before the work is done.
      '@typescript-eslint/no-floating-promises': 'error',
      // Control characters are the point where they appear: ANSI escapes scrubbed from text, XML-invalid bytes.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read JSON reports (`any` by nature) and assert on them: the unsafe-any rules guard production code.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Table rows of it.each widen literal types: the casts that narrow them back are needed by tsc.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { project: false },
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
);
