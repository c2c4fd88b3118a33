import type { Metadata } from 'next';
import styles from '../invite.module.css';
import { InviteFlow } from './invite-flow';

// The token is in the address: never send it on to another site as a referrer.
export const metadata: Metadata = { title: 'Join a workspace · OpsPilot', referrer: 'no-referrer', robots: { index: false } };

/** Outside the console layout: the person opening an invitation is usually signed out. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main className={styles.page}>
      <h1 className="brand">Join a workspace on OpsPilot</h1>
      <InviteFlow token={token} />
    </main>
  );
}
