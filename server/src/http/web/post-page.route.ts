import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../services.ts';
import type { HydratedPost } from '../../domain/posts/post-hydrator.ts';
import { isPubliclyEmbeddable } from '../../access/post-policy.ts';
import { variantsOf } from '../../domain/media/media.ts';
import { AppError } from '../../errors.ts';
import { escapeHtml } from '../text-html.ts';
import { intish, parseInput, text, z } from '../input.ts';
import { renderStatusContent, statusUrl } from '../mastodon/presenters/status.presenter.ts';
import { presentAccount } from '../mastodon/presenters/account.presenter.ts';
import { spaIndexHtml } from './spa.route.ts';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const usernameIdParams = z.object({ username: text(40), id: text(32) });
/** `?comments=0` hides the comments (what `data-glimpse-comments="off"` on the embed snippet asks for). */
const embedQuery = z.object({ comments: z.enum(['0', '1']).optional() });
const urlMaxwidthMaxheightQuery = z.object({ url: text(2000), maxwidth: intish(50, 4000).optional(), maxheight: intish(50, 4000).optional(), format: text(10).optional() });

const EMBED_WIDTH = 400;
/** The newest comments an embed shows. */
const EMBED_COMMENTS = 5;

/**
 * The public face of a post: its page at /@username/:id (the web client with Open Graph tags
 * when the post is public), an embeddable view without scripts, and oEmbed. Only public posts
 * of public accounts are ever embeddable; everything else answers as if it did not exist.
 */
export function registerPostPageRoutes(app: FastifyInstance, services: Services): void {
  const { config } = services;

  /**
   * The post if anonymous visitors may see it and it may leave the site; otherwise undefined.
   * Embeddable (access/post-policy.ts) is wider than publicly listable: an unlisted post is
   * embedded and previewed for whoever holds its link, but never listed.
   */
  const embeddable = async (username: string, id: string): Promise<HydratedPost | undefined> => {
    if (!/^\d{1,20}$/.test(id)) return undefined;
    const [post] = await services.hydrator.hydrate(undefined, [id]);
    if (!post || post.author.username.toLowerCase() !== username.toLowerCase()) return undefined;
    return isPubliclyEmbeddable(post.status, post.author) ? post : undefined;
  };

  /** A photo as the public sees it: the 1080 px JPEG, with the other JPEG sizes for srcset. */
  const imageOf = (media: HydratedPost['media'][number]) => {
    const variants = variantsOf(media);
    const variant = variants.find((v) => v.name === 'w1080' && v.format === 'jpeg') ?? variants.find((v) => v.format === 'jpeg') ?? variants[0];
    if (!variant) return undefined;
    const jpegs = variants.filter((v) => v.format === variant.format);
    const srcset = jpegs.length > 1 ? jpegs.map((v) => `${services.mediaUrls.url(media, v, false)} ${v.width}w`).join(', ') : undefined;
    return { url: services.mediaUrls.url(media, variant, false), srcset, width: variant.width, height: variant.height, alt: media.description };
  };
  const firstImage = (post: HydratedPost) => {
    const media = post.media.find((m) => m.state === 'ready');
    return media ? imageOf(media) : undefined;
  };

  const authorName = (post: HydratedPost) => post.author.display_name || post.author.username;
  /** The instance's title as the admin set it (or GLIMPSE_INSTANCE_TITLE), from this process's copy, dropped on every change. */
  const siteName = async () => (await services.instanceSettings.cached()).title;

  app.get('/@:username/:id', { config: { auth: 'none' } }, async (request, reply) => {
    const { username, id } = parseInput(usernameIdParams, request.params);
    const post = await embeddable(username, id);
    reply.header('Content-Type', 'text/html; charset=utf-8').header('Cache-Control', 'no-cache');
    if (!post) return spaIndexHtml(); // the web client shows it to those who may see it
    const image = firstImage(post);
    const url = statusUrl(config, post.author.username, post.status.id);
    const site = await siteName();
    const title = `${authorName(post)} (@${post.author.username}) on ${site}`;
    const meta = [
      `<meta property="og:type" content="article">`,
      `<meta property="og:site_name" content="${escapeHtml(site)}">`,
      `<meta property="og:title" content="${escapeHtml(title)}">`,
      `<meta property="og:description" content="${escapeHtml(post.status.text.slice(0, 300))}">`,
      `<meta property="og:url" content="${escapeHtml(url)}">`,
      ...(image
        ? [
            `<meta property="og:image" content="${escapeHtml(image.url)}">`,
            `<meta property="og:image:width" content="${image.width}">`,
            `<meta property="og:image:height" content="${image.height}">`,
            `<meta property="og:image:alt" content="${escapeHtml(image.alt)}">`,
            `<meta name="twitter:card" content="summary_large_image">`,
          ]
        : []),
      `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(`${config.publicUrl}/api/oembed?url=${encodeURIComponent(url)}`)}">`,
    ].join('\n');
    return spaIndexHtml(meta);
  });

  app.get('/@:username/:id/embed', { config: { auth: 'none' } }, async (request, reply) => {
    const { username, id } = parseInput(usernameIdParams, request.params);
    const { comments: commentsOption } = parseInput(embedQuery, request.query);
    const post = await embeddable(username, id);
    if (!post) return notEmbeddable(reply);
    const url = statusUrl(config, post.author.username, post.status.id);
    const profile = `${config.publicUrl}/@${post.author.username}`;
    const site = await siteName();
    const name = authorName(post);
    // The comments an anonymous reader may see (the comment list read with no viewer: the
    // rules of access/ for anonymous readers), newest first, storms left folded out. One page
    // of twice as many, since the hydration drops some (a private account's, say).
    const comments =
      commentsOption === '0' ? [] : (await services.comments.list(undefined, post.status.id, { sort: 'newest', limit: EMBED_COMMENTS * 2 })).items.slice(0, EMBED_COMMENTS).map((item) => item.post);
    const photos = post.media.filter((m) => m.state === 'ready').flatMap((m) => {
      const image = imageOf(m);
      return image ? [image] : [];
    });
    const slides = photos
      .map(
        (image, i) =>
          `<li class="slide" id="photo-${i + 1}"><a href="${escapeHtml(url)}" target="_blank" rel="noopener"><img src="${escapeHtml(image.url)}"${image.srcset ? ` srcset="${escapeHtml(image.srcset)}" sizes="(max-width: 540px) 100vw, 540px"` : ''} width="${image.width}" height="${image.height}" alt="${escapeHtml(image.alt)}"${i > 0 ? ' loading="lazy"' : ''}></a></li>`,
      )
      .join('');
    const dots =
      photos.length > 1
        ? `<p class="count" aria-live="polite"><span class="current">1</span> of ${photos.length} photos</p><nav class="dots" aria-label="Photos">${photos.map((_, i) => `<a href="#photo-${i + 1}" class="dot"${i === 0 ? ' aria-current="true"' : ''}><span class="visually-hidden">Photo ${i + 1} of ${photos.length}</span></a>`).join('')}</nav>`
        : '';
    const caption = renderStatusContent(config, post, post.status.text);
    const commentCount = post.repliesCount;
    const commentsHtml =
      commentsOption === '0'
        ? ''
        : `<section class="comments" aria-labelledby="embed-comments-title"><h2 id="embed-comments-title" class="visually-hidden">Comments</h2>${
            comments.length
              ? `<ol class="comment-list">${comments
                  .map(
                    (c) =>
                      `<li class="comment"><a class="author" href="${escapeHtml(`${config.publicUrl}/@${c.author.username}`)}" target="_blank" rel="noopener">${escapeHtml(c.author.username)}</a> <span class="text">${inEmbed(renderStatusContent(config, c, c.status.text))}</span> <time datetime="${escapeHtml(c.status.created_at)}">${escapeHtml(shortDate(c.status.created_at))}</time></li>`,
                  )
                  .join('')}</ol>`
              : ''
          }${commentCount > 0 ? `<p class="all-comments"><a href="${escapeHtml(url)}" target="_blank" rel="noopener">${commentCount === 1 ? 'View 1 comment' : `View all ${commentCount} comments`}</a></p>` : ''}</section>`;
    // Embeds are meant to be framed by other sites: this one page relaxes frame-ancestors. The
    // policy is otherwise the site's: the carousel's script is a file of our own, nothing inline.
    reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", 'frame-ancestors *'))
      .header('Cache-Control', 'public, max-age=300');
    return `<!doctype html>
<html lang="${escapeHtml(post.status.language ?? 'en')}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${name} on ${site}`)}</title>
<link rel="stylesheet" href="/static/embed.css">
<script src="/static/embed.js" defer></script></head>
<body><main class="embed">
<h1 class="visually-hidden">${escapeHtml(`Post by ${name}`)}</h1>
<header><a href="${escapeHtml(profile)}" target="_blank" rel="noopener"><img class="avatar" src="${escapeHtml(presentAccount(config, post.author).avatar)}" width="32" height="32" alt=""><strong>${escapeHtml(name)}</strong> <span>@${escapeHtml(post.author.username)}</span></a></header>
${photos.length ? `<div class="carousel" role="region" aria-roledescription="carousel" aria-label="${escapeHtml(`Photos by ${name}`)}"><ul class="slides" tabindex="0" aria-label="${escapeHtml(`${photos.length} ${photos.length === 1 ? 'photo' : 'photos'}`)}">${slides}</ul>${dots}</div>` : ''}
${caption ? `<div class="caption"><a class="author" href="${escapeHtml(profile)}" target="_blank" rel="noopener">${escapeHtml(post.author.username)}</a> ${inEmbed(caption)}</div>` : ''}
${commentsHtml}
<footer><a href="${escapeHtml(url)}" target="_blank" rel="noopener">View this post by @${escapeHtml(post.author.username)} on ${escapeHtml(site)}</a></footer>
</main></body></html>`;
  });

  app.get('/api/oembed', { config: { auth: 'none' } }, async (request) => {
    const q = parseInput(urlMaxwidthMaxheightQuery, request.query);
    if (q.format && q.format !== 'json') throw new AppError(501, 'Only the json format is supported');
    const match = new RegExp(`^${escapeRegExp(config.publicUrl)}/@([A-Za-z0-9_]{1,30})/(\\d{1,20})/?$`).exec(q.url);
    const post = match ? await embeddable(match[1], match[2]) : undefined;
    if (!post) throw new AppError(404, 'Record not found');
    const width = Math.min(q.maxwidth ?? EMBED_WIDTH, EMBED_WIDTH);
    const height = q.maxheight ?? null;
    const embedUrl = `${statusUrl(config, post.author.username, post.status.id)}/embed`;
    const image = firstImage(post);
    return {
      type: 'rich',
      version: '1.0',
      title: `${authorName(post)} (@${post.author.username})`,
      author_name: authorName(post),
      author_url: `${config.publicUrl}/@${post.author.username}`,
      provider_name: await siteName(),
      provider_url: `${config.publicUrl}/`,
      cache_age: 86400,
      html: `<iframe src="${escapeHtml(embedUrl)}" class="glimpse-embed" style="max-width: 100%; border: 0" width="${width}"${height ? ` height="${height}"` : ''} allowfullscreen="allowfullscreen" title="${escapeHtml(`Post by @${post.author.username}`)}"></iframe>`,
      width,
      height,
      ...(image ? { thumbnail_url: image.url, thumbnail_width: image.width, thumbnail_height: image.height } : {}),
    };
  });
}

function notEmbeddable(reply: FastifyReply) {
  return reply.status(404).header('Content-Type', 'text/html; charset=utf-8').send('<!doctype html><title>Not found</title><p>This post cannot be shown here.</p>');
}

/** Links in the caption and comments leave the frame: the embed is a window onto the site. */
function inEmbed(html: string): string {
  return html.replace(/<a (?![^>]*\btarget=)/g, '<a target="_blank" ');
}

/** "Dec 3" (with the year when not this one), the same for every reader of a cached embed. */
function shortDate(iso: string): string {
  const date = new Date(iso);
  const sameYear = date.getUTCFullYear() === new Date().getUTCFullYear();
  return date.toLocaleDateString('en', { month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }), timeZone: 'UTC' });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
