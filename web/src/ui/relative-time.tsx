const absolute = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const shortDate = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric' });

/** "now", "5m", "3h", "2d", "4w", then a date — the way a feed labels time. */
export function shortAge(iso: string, now: number = Date.now()): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const seconds = Math.max(0, Math.round((now - time) / 1000));
  if (seconds < 60) return 'now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `${days}d`;
  if (days < 52 * 7) return `${Math.floor(days / 7)}w`;
  return shortDate.format(time);
}

export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return null;
  return (
    <time className={className} dateTime={iso} title={absolute.format(time)}>
      {shortAge(iso)}
    </time>
  );
}
