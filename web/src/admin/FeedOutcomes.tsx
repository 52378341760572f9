import type { FeedUpdate } from '../api.ts';
import { t } from '../i18n.ts';

/**
 * A feed error in a line or two: the full text (addresses, HTTP details) stays in the tooltip and in
 * "quietcheck indicators list", so a failing offline box does not stretch the page with URLs.
 */
export function shortError(e: string): string {
  const plain = e.replace(/https?:\/\/\S+/g, (u) => {
    try {
      return new URL(u).host;
    } catch {
      return u.slice(0, 40);
    }
  });
  return plain.length > 140 ? `${plain.slice(0, 139)}…` : plain;
}

/** What an update or an added list did, one line per feed (a failed feed says why and keeps its old set). */
export function FeedOutcomes({ result, testid, onAccept }: { result: FeedUpdate[]; testid: string; onAccept?: (feed: string) => void }) {
  return (
    <ul class="update-result" data-testid={testid} aria-live="polite">
      {result.map((r) => (
        <li key={r.feed} class={r.status === 'failed' ? 'warn-text break' : 'break'} title={r.error ?? undefined}>
          <span class="mono">{r.feed}</span>: {t(`ui.admin.feeds.status.${r.status}`, { count: r.indicators })}
          {r.error ? ` — ${shortError(r.error)}` : ''}
          {r.forced && ` — ${t('ui.admin.feeds.shrinkAccepted', { previous: r.previousCount ?? 0 })}`}
          {r.shrinkRefused && onAccept && (
            <div>
              <button type="button" class="secondary" onClick={() => onAccept(r.feed)} data-testid="accept-shrink">
                {t('ui.admin.feeds.acceptShrink', { offered: r.offeredCount ?? 0, previous: r.previousCount ?? 0 })}
              </button>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
