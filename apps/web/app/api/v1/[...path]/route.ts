import { handleRestRequest } from '@opspilot/api/rest';

export const dynamic = 'force-dynamic';

const handler = (request: Request) => handleRestRequest(request);

export { handler as GET, handler as POST, handler as PATCH, handler as PUT, handler as DELETE };
