/**
 * Boots OpsPilot inside the Next.js server process: open the database,
 * migrate, seed an empty one, and start background work. A bad configuration
 * stops the server with one clear message instead of failing on first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startServerRuntime } = await import('@opspilot/api/server');
  await startServerRuntime();
}
