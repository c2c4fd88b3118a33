import { handleAuthRequest } from '@opspilot/api/rest';

export const dynamic = 'force-dynamic';

const handler = (request: Request) => handleAuthRequest(request);

export { handler as GET, handler as POST };
