import type { ReactNode } from 'react';
import { ConsoleShell } from '~/components/console/console-shell';
import { themeBootScript } from '~/components/console/theme-script';

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <script dangerouslySetInnerHTML={{ __html: themeBootScript }} />
      <ConsoleShell>{children}</ConsoleShell>
    </>
  );
}
