/** The cookie that remembers the console's workspace, so the server renders the same one the browser shows. */
export const workspaceCookie = 'opspilot.workspace';

/** Remembers the workspace for the server (cookie) and for the browser (localStorage, read by older tabs). */
export function rememberWorkspace(id: string): void {
  window.localStorage.setItem(workspaceCookie, id);
  document.cookie = `${workspaceCookie}=${encodeURIComponent(id)}; path=/; max-age=31536000; samesite=lax`;
}
