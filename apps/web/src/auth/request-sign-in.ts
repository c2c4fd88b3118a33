/**
 * Signs in with email and password through the `auth.signIn` tRPC procedure, which sets the
 * session cookie. Returns null on success, or what to tell the person.
 */
export async function requestSignIn(email: string, password: string): Promise<string | null> {
  const response = await fetch('/api/trpc/auth.signIn', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    credentials: 'same-origin',
  });
  if (response.ok) return null;
  if (response.status === 401) return 'Invalid email or password.';
  if (response.status === 429) return 'Too many attempts. Wait a minute and try again.';
  if (response.status === 400) return 'Enter a valid email address and a password.';
  return 'Sign-in failed. Try again.';
}
