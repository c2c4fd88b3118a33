export { appRouter, type AppRouter } from './router';
export { createContext, type Context, type Principal, type MemberRole, type ApiKeyScope } from './context';
export { createCallerFactory } from './trpc';
export type { HealthOutput } from './routers/system';
