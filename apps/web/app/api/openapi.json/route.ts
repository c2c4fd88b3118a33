import { handleOpenApiRequest } from '@opspilot/api/rest';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return handleOpenApiRequest(request);
}
