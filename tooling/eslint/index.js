import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which imports each layer may not use. The dependency direction is
 * web -> api -> core <- db; core stays free of frameworks and of process.env.
 */
const frameworkImports = [
  { group: ['next', 'next/*'], message: 'core must not depend on Next.js.' },
  { group: ['react', 'react/*', 'react-dom', 'react-dom/*'], message: 'core must not depend on React.' },
  { group: ['@trpc/*'], message: 'core must not depend on tRPC: the api package adapts core to tRPC.' },
  { group: ['@prisma/*', 'prisma', 'pg', '@electric-sql/*', 'pglite-prisma-adapter'], message: 'core reaches the database through ports; only @opspilot/db may import Prisma.' },
];

export const layerRules = {
  core: {
    patterns: [
      ...frameworkImports,
      { group: ['@opspilot/*'], message: 'core imports no other workspace package (web -> api -> core <- db).' },
    ],
  },
  db: {
    patterns: [
      { group: ['next', 'next/*', 'react', 'react/*', '@trpc/*'], message: 'db is persistence only.' },
      { group: ['@opspilot/api', '@opspilot/api/*', '@opspilot/web', '@opspilot/web/*'], message: 'db may depend only on core (web -> api -> core <- db).' },
    ],
  },
  api: {
    patterns: [
      { group: ['next', 'next/*', 'react', 'react/*'], message: 'api is framework-neutral; Next.js lives in apps/web.' },
      { group: ['@opspilot/web', '@opspilot/web/*'], message: 'api must not import web (web -> api -> core <- db).' },
      { group: ['@prisma/*', 'prisma', 'pg', '@electric-sql/*'], message: 'api reaches the database through @opspilot/db.' },
    ],
  },
  web: {
    patterns: [
      { group: ['@opspilot/db', '@opspilot/db/*', '@prisma/*', 'pg', '@electric-sql/*'], message: 'web talks to the database only through @opspilot/api.' },
    ],
  },
};

/**
 * Builds the flat config for one package.
 * @param {{ layer?: keyof typeof layerRules, tsconfigRootDir: string, ignores?: string[] }} options
 */
export function createConfig(options) {
  const restricted = options.layer ? layerRules[options.layer] : undefined;
  return tseslint.config(
    { ignores: ['**/node_modules/**', '**/.next/**', '**/dist/**', '**/generated/**', '**/*.config.*', '**/next-env.d.ts', ...(options.ignores ?? [])] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        parserOptions: { projectService: true, tsconfigRootDir: options.tsconfigRootDir },
      },
      rules: {
        '@typescript-eslint/no-floating-promises': 'error',
        '@typescript-eslint/no-explicit-any': 'error',
        '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
        '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
        '@typescript-eslint/switch-exhaustiveness-check': 'error',
        '@typescript-eslint/require-await': 'off',
        '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
        'no-restricted-imports': restricted ? ['error', restricted] : 'off',
        ...(options.layer === 'core'
          ? {
              'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'core takes configuration through its deps object, never process.env.' }],
            }
          : {}),
      },
    },
  );
}
