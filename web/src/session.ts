/** Whether an admin is logged in on this browser (the cookie is HttpOnly: the API is asked). */
import { api, setCsrf } from './api.ts';
import { signal } from './store.ts';

export const admin = signal(false);
let probed: Promise<boolean> | null = null;

export function probeAdmin(force = false): Promise<boolean> {
  if (force) probed = null;
  probed ??= api
    .session()
    .then((s) => {
      setCsrf(s.csrfToken);
      admin.value = true;
      return true;
    })
    .catch(() => {
      setCsrf(null);
      admin.value = false;
      return false;
    });
  return probed;
}

export function loggedIn(csrf: string): void {
  setCsrf(csrf);
  admin.value = true;
  probed = Promise.resolve(true);
}

export function loggedOut(): void {
  setCsrf(null);
  admin.value = false;
  probed = Promise.resolve(false);
}

/**
 * Ends an admin session opened on this browser, if there is one: the kiosk calls it when it returns
 * to its welcome screen, so the next person at the kiosk is never logged in as the admin.
 */
export async function endAdminSession(): Promise<void> {
  if (!(await probeAdmin(true))) return;
  try {
    await api.logout();
  } catch {
    /* already ended elsewhere (expiry, password change): nothing left to end */
  }
  loggedOut();
}
