import type { Metadata } from 'next';
import { ConsentForm } from './consent-form';
import styles from './consent.module.css';

export const metadata: Metadata = { title: 'Connect an app · OpsPilot' };
export const dynamic = 'force-dynamic';

type SearchParams = Record<string, string | string[] | undefined>;

/** The authorization request's query as received; the server validates it again on every call, so it is passed on untouched. */
function toQuery(searchParams: SearchParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(name, item);
  }
  return query.toString();
}

/** Where /oauth/authorize sends a person: an MCP host (ChatGPT...) asks to act in one of their workspaces. */
export default async function ConsentPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const request = toQuery(await searchParams);
  return (
    <main className={styles.page}>
      <h1 className="brand">Connect to OpsPilot</h1>
      <ConsentForm request={request} />
    </main>
  );
}
