import { escapeHtml } from '../../http/text-html.ts';
import { POST_LIMITS } from './post.ts';

/**
 * Captions are stored as the plain text the person typed. This finds the @mentions, #hashtags
 * and links in it, and renders the Mastodon HTML with every piece of text escaped.
 */
export type CaptionToken =
  | { kind: 'text'; value: string }
  | { kind: 'mention'; value: string; username: string }
  | { kind: 'hashtag'; value: string; tag: string }
  | { kind: 'link'; value: string };

// A mention or hashtag starts a word: at the start, or after something that is not a letter,
// digit, underscore, slash or the same sigil (so e-mail addresses and URLs do not match).
const TOKEN = /(^|[^\p{L}\p{N}_/@#])(?:@([A-Za-z0-9_]{1,30})(?:@[A-Za-z0-9.-]+)?(?![A-Za-z0-9_])|#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)|(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]))/gu;

export const MAX_HASHTAG_LENGTH = 100;

export function tokenizeCaption(text: string): CaptionToken[] {
  const tokens: CaptionToken[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const lead = match[1] ?? '';
    const start = match.index! + lead.length;
    if (start > last) tokens.push({ kind: 'text', value: text.slice(last, start) });
    const value = match[0].slice(lead.length);
    if (match[2]) tokens.push({ kind: 'mention', value, username: match[2] });
    else if (match[3] && match[3].length <= MAX_HASHTAG_LENGTH) tokens.push({ kind: 'hashtag', value, tag: match[3] });
    else if (match[4]) tokens.push({ kind: 'link', value });
    else tokens.push({ kind: 'text', value });
    last = start + value.length;
  }
  if (last < text.length) tokens.push({ kind: 'text', value: text.slice(last) });
  return tokens;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const graphemeCount = (text: string) => {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
};

/**
 * The length of a caption as Mastodon counts it, which is what POST_LIMITS.caption bounds:
 * each link is POST_LIMITS.charactersReservedPerUrl characters whatever its length (the
 * instance's `characters_reserved_per_url`), a mention counts its
 * `@username` (not a domain after it), and everything else counts user-perceived characters
 * (an emoji is one, however many code units it takes).
 */
export function countableLength(text: string): number {
  let n = 0;
  for (const t of tokenizeCaption(text)) {
    if (t.kind === 'link') n += POST_LIMITS.charactersReservedPerUrl;
    else if (t.kind === 'mention') n += 1 + t.username.length;
    else n += graphemeCount(t.value);
  }
  return n;
}

export function mentionedUsernames(text: string): string[] {
  return [...new Set(tokenizeCaption(text).flatMap((t) => (t.kind === 'mention' ? [t.username.toLowerCase()] : [])))];
}

/** Hashtags in first-seen order: lower-cased key and the spelling first used. */
export function hashtagsOf(text: string): Array<{ tag: string; display: string }> {
  const seen = new Map<string, string>();
  for (const t of tokenizeCaption(text)) {
    if (t.kind === 'hashtag') {
      const key = t.tag.normalize('NFKC').toLowerCase();
      if (!seen.has(key)) seen.set(key, t.tag);
    }
  }
  return [...seen].map(([tag, display]) => ({ tag, display })).slice(0, 30);
}

/**
 * Mastodon's HTML for a caption: paragraphs, line breaks, and links for mentions of existing
 * accounts (others stay text), hashtags and http(s) URLs. Nothing from the text is ever
 * emitted unescaped.
 */
export function renderCaptionHtml(text: string, publicUrl: string, mentionUrls: Map<string, string>): string {
  if (text.trim() === '') return '';
  const paragraphs = text.split(/\n{2,}/);
  return paragraphs
    .map((para) => {
      const html = tokenizeCaption(para)
        .map((t) => {
          switch (t.kind) {
            case 'mention': {
              const url = mentionUrls.get(t.username.toLowerCase());
              if (!url) return escapeHtml(t.value);
              return `<span class="h-card"><a href="${escapeHtml(url)}" class="u-url mention">@<span>${escapeHtml(t.username)}</span></a></span>`;
            }
            case 'hashtag':
              return `<a href="${escapeHtml(`${publicUrl}/tags/${encodeURIComponent(t.tag.toLowerCase())}`)}" class="mention hashtag" rel="tag">#<span>${escapeHtml(t.tag)}</span></a>`;
            case 'link':
              return `<a href="${escapeHtml(t.value)}" rel="nofollow noopener noreferrer" target="_blank">${escapeHtml(t.value)}</a>`;
            default:
              return escapeHtml(t.value);
          }
        })
        .join('')
        .replace(/\n/g, '<br />');
      return `<p>${html}</p>`;
    })
    .join('');
}
