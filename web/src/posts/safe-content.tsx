import { Fragment, useMemo, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { CustomEmoji } from '../api/mastodon-types.ts';

/**
 * Captions arrive as Mastodon HTML (escaped by the server). Rather than trusting that with
 * dangerouslySetInnerHTML, the HTML is parsed in an inert document and rebuilt as React
 * elements, keeping only paragraphs, line breaks and http(s) links with a known class. Every
 * other element gives up its tags and keeps its text; scripts, styles and the like vanish with
 * their content. No attribute other than a checked href and the class survives.
 */

const DROPPED = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript', 'svg', 'math', 'head', 'title', 'textarea', 'select', 'button', 'form', 'input']);
const KEPT_CLASSES = new Set(['mention', 'hashtag', 'u-url']);
const MAX_DEPTH = 32;
/** `:shortcode:` in text, drawn as the emoji's image when the status lists it in `emojis`. */
const SHORTCODE = /:([A-Za-z0-9_]{2,32}):/g;

/** Shortcode → image URL, for the listed emojis whose URL is http(s). */
type EmojiUrls = ReadonlyMap<string, string>;

function emojiUrls(emojis: readonly CustomEmoji[] | undefined, origin: string): EmojiUrls {
  const urls = new Map<string, string>();
  for (const e of emojis ?? []) {
    const url = safeHref(e.url, origin);
    if (url && typeof e.shortcode === 'string') urls.set(e.shortcode, url.href);
  }
  return urls;
}

/** A text node's text, with each listed `:shortcode:` an <img alt=":shortcode:">. */
function textWithEmojis(text: string, key: string, emojis: EmojiUrls): ReactNode {
  if (emojis.size === 0 || !text.includes(':')) return text;
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(SHORTCODE)) {
    const url = emojis.get(match[1]);
    if (!url) continue;
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push(<img key={`${key}.e${match.index}`} src={url} alt={match[0]} title={match[0]} className="custom-emoji" draggable={false} />);
    last = match.index + match[0].length;
  }
  if (out.length === 0) return text;
  if (last < text.length) out.push(text.slice(last));
  return <Fragment key={key}>{out}</Fragment>;
}

function currentOrigin(): string {
  return typeof window !== 'undefined' && window.location?.origin && window.location.origin !== 'null' ? window.location.origin : 'http://localhost';
}

/** Only http(s) targets; anything else (javascript:, data:, relative junk) is refused. */
export function safeHref(raw: string | null, origin: string = currentOrigin()): URL | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

function keptClass(raw: string | null): string | undefined {
  const kept = (raw ?? '').split(/\s+/).filter((c) => KEPT_CLASSES.has(c));
  return kept.length > 0 ? kept.join(' ') : undefined;
}

function convertChildren(parent: Node, key: string, origin: string, depth: number, inLink: boolean, emojis: EmojiUrls): ReactNode[] {
  const out: ReactNode[] = [];
  parent.childNodes.forEach((child, index) => {
    const node = convert(child, `${key}.${index}`, origin, depth + 1, inLink, emojis);
    if (node !== null && node !== '') out.push(node);
  });
  return out;
}

function convert(node: Node, key: string, origin: string, depth: number, inLink: boolean, emojis: EmojiUrls): ReactNode {
  if (node.nodeType === 3 /* text */) return textWithEmojis(node.textContent ?? '', key, emojis);
  if (node.nodeType !== 1 /* element */ || depth > MAX_DEPTH) return null;
  const element = node as Element;
  const tag = element.tagName.toLowerCase();
  if (DROPPED.has(tag)) return null;
  const children = () => convertChildren(element, key, origin, depth, inLink || tag === 'a', emojis);

  switch (tag) {
    case 'p':
      return <p key={key}>{children()}</p>;
    case 'br':
      return <br key={key} />;
    case 'a': {
      const url = inLink ? null : safeHref(element.getAttribute('href'), origin);
      if (!url) return <Fragment key={key}>{children()}</Fragment>;
      const className = keptClass(element.getAttribute('class'));
      // Profiles and hashtags on this server open inside the app; everything else is a plain outside link.
      if (url.origin === origin && (url.pathname.startsWith('/@') || url.pathname.startsWith('/tags/'))) {
        return (
          <Link key={key} to={`${url.pathname}${url.search}${url.hash}`} className={className}>
            {children()}
          </Link>
        );
      }
      const isExternal = url.origin !== origin;
      return (
        <a key={key} href={url.href} className={className} rel="nofollow noopener noreferrer" target={isExternal ? '_blank' : undefined}>
          {children()}
        </a>
      );
    }
    default:
      return <Fragment key={key}>{children()}</Fragment>;
  }
}

/** The React elements for a status's HTML content; `emojis` (the status's) are drawn for their `:shortcode:`. */
export function renderSafeHtml(html: string | null | undefined, origin: string = currentOrigin(), emojis?: readonly CustomEmoji[]): ReactNode[] {
  if (!html) return [];
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return convertChildren(doc.body, 'c', origin, 0, false, emojiUrls(emojis, origin));
}

export function SafeContent({ html, className, emojis }: { html: string | null | undefined; className?: string; emojis?: readonly CustomEmoji[] }) {
  const nodes = useMemo(() => renderSafeHtml(html, undefined, emojis), [html, emojis]);
  if (nodes.length === 0) return null;
  return <div className={className}>{nodes}</div>;
}
