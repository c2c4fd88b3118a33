import type { ReactNode } from 'react';
import { ConsoleShell } from '~/components/console/console-shell';
import { themeBootScript } from '~/components/console/theme-script';
import { HydrateClient, resolveServerWorkspace } from '~/trpc/server';

/** The console frame, rendered on the server with the caller's workspaces already loaded. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { workspaceId, remembered } = await resolveServerWorkspace();
  return (
    <>
      <script dangerouslySetInnerHTML={{ __html: themeBootScript }} />
      <HydrateClient>
        <ConsoleShell initialWorkspaceId={remembered ? workspaceId : null}>{children}</ConsoleShell>
      </HydrateClient>
    </>
  );
}
