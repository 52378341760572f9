/** Screens have real addresses (the server answers every one with the app), moved between without reloads. */
import { signal } from './store.ts';

export const path = signal(location.pathname);
export const query = signal(new URLSearchParams(location.search));

export function navigate(to: string, replace = false): void {
  const url = new URL(to, location.origin);
  if (replace) history.replaceState(null, '', url.pathname + url.search);
  else history.pushState(null, '', url.pathname + url.search);
  query.value = url.searchParams;
  path.value = url.pathname;
}

addEventListener('popstate', () => {
  query.value = new URLSearchParams(location.search);
  path.value = location.pathname;
});

/** Links that move inside the app; modified clicks still open a new tab. */
export function onLink(e: MouseEvent): void {
  const a = (e.currentTarget as HTMLAnchorElement | null) ?? null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? '/');
}
