import { handleTrpcRequest } from '@opspilot/api/server';

export const dynamic = 'force-dynamic';

const handler = (request: Request) => handleTrpcRequest(request);

export { handler as GET, handler as POST };
