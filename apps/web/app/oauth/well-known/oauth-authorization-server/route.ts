import { handleOAuthRoute } from '../../oauth-route';

export const dynamic = 'force-dynamic';

/** Reached as /.well-known/... through the rewrite in next.config.ts (App Router does not route dot-folders). */
export { handleOAuthRoute as GET, handleOAuthRoute as OPTIONS };
