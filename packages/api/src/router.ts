import { router } from './trpc';
import { systemRouter } from './routers/system';
import { workspaceRouter } from './routers/workspace';

/** The whole API: one router per domain, paths `<domain>.<verb>`. */
export const appRouter = router({
  system: systemRouter,
  workspace: workspaceRouter,
});

export type AppRouter = typeof appRouter;
