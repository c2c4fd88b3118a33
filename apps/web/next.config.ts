import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Workspace packages ship TypeScript sources.
  transpilePackages: ['@opspilot/api', '@opspilot/core', '@opspilot/db'],
  // Native/WASM database drivers must be loaded by Node, not bundled.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pglite-prisma-adapter',
    '@prisma/client',
    '@prisma/adapter-pg',
    '@prisma/driver-adapter-utils',
    '@prisma/schema-engine-wasm',
    'pg',
    'better-auth',
  ],
  poweredByHeader: false,
  experimental: {
    // Server code gains nothing from minification, and readable server chunks make
    // production stack traces useful.
    serverMinification: false,
  },
  reactStrictMode: true,
  typedRoutes: false,
};

export default nextConfig;
