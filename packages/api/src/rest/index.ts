export { handleRestRequest, handleAuthRequest, handleOpenApiRequest } from './handler';
export { createOpenApiDocument, restEndpoint } from './openapi';
