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
  // OAuth discovery (RFC 8414, RFC 9728) lives under /.well-known, which the App Router cannot route
  // (dot-folders are skipped); the handlers sit under app/oauth/well-known.
  async rewrites() {
    return ['oauth-authorization-server', 'oauth-protected-resource', 'oauth-protected-resource/mcp'].map((document) => ({
      source: `/.well-known/${document}`,
      destination: `/oauth/well-known/${document}`,
    }));
  },
  typedRoutes: false,
};

export default nextConfig;
