import { Overview } from '~/components/overview';

export default function HomePage() {
  return (
    <main className="shell">
      <Overview />
    </main>
  );
}
