export * from './workspace-repository';
export * from './auth-api-keys';
export * from './auth-workspaces';
export * from './auth-invitations';
export * from './auth-rate-limit';
export * from './auth-better-auth';
export * from './signals-repositories';
