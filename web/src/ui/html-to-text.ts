/**
 * Mastodon sends bios and captions as HTML. We show them as plain text (React escapes it),
 * keeping line and paragraph breaks, so nothing in a bio can ever become markup.
 */
export function htmlToText(html: string | null | undefined): string {
  if (!html) return '';
  const marked = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n');
  const doc = new DOMParser().parseFromString(`<body>${marked}</body>`, 'text/html');
  return (doc.body.textContent ?? '').trim();
}
