import type { Metadata } from 'next';
import Link from 'next/link';
import { themeBootScript } from '~/components/console/theme-script';

export const metadata: Metadata = { title: 'Page not found · OpsPilot' };

/** Any unknown address: say so in the console's colours (and saved theme), with a way back. */
export default function NotFound() {
  return (
    <main style={{ maxWidth: 480, margin: '12vh auto 0', padding: 24 }}>
      <script dangerouslySetInnerHTML={{ __html: themeBootScript }} />
      <div className="notice" data-testid="not-found">
        <h1 style={{ marginTop: 0, fontSize: 22 }}>Page not found</h1>
        <p className="muted">There is nothing at this address. The link may be mistyped or out of date.</p>
        <Link className="button" href="/">Go to the dashboard</Link>
      </div>
    </main>
  );
}
