import { handleOAuthRoute } from '../oauth-route';

export const dynamic = 'force-dynamic';

export { handleOAuthRoute as GET, handleOAuthRoute as POST, handleOAuthRoute as OPTIONS };
