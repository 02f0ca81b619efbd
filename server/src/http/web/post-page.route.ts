import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../../services.ts';
import type { HydratedPost } from '../../domain/posts/post-hydrator.ts';
import { isPubliclyEmbeddable } from '../../access/post-policy.ts';
import { variantsOf } from '../../domain/media/media.ts';
import { AppError } from '../../errors.ts';
import { escapeHtml } from '../text-html.ts';
import { intish, parseInput, text, z } from '../input.ts';
import { statusUrl } from '../mastodon/presenters/status.presenter.ts';
import { spaIndexHtml } from './spa.route.ts';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';

// Schemas are built once: zod compiles each on first use, which is costly per request.
const usernameIdParams = z.object({ username: text(40), id: text(32) });
const urlMaxwidthMaxheightQuery = z.object({ url: text(2000), maxwidth: intish(50, 4000).optional(), maxheight: intish(50, 4000).optional(), format: text(10).optional() });

const EMBED_WIDTH = 400;

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

  const firstImage = (post: HydratedPost) => {
    const media = post.media.find((m) => m.state === 'ready');
    if (!media) return undefined;
    const variants = variantsOf(media);
    const variant = variants.find((v) => v.name === 'w1080' && v.format === 'jpeg') ?? variants.find((v) => v.format === 'jpeg') ?? variants[0];
    return variant ? { url: services.mediaUrls.url(media, variant, false), width: variant.width, height: variant.height, alt: media.description } : undefined;
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
    const post = await embeddable(username, id);
    if (!post) return notEmbeddable(reply);
    const image = firstImage(post);
    const url = statusUrl(config, post.author.username, post.status.id);
    const profile = `${config.publicUrl}/@${post.author.username}`;
    const site = await siteName();
    // Embeds are meant to be framed by other sites: this one page relaxes frame-ancestors.
    reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", 'frame-ancestors *'))
      .header('Cache-Control', 'public, max-age=300');
    return `<!doctype html>
<html lang="${escapeHtml(post.status.language ?? 'en')}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${authorName(post)} on ${site}`)}</title>
<link rel="stylesheet" href="/static/embed.css"></head>
<body><article class="embed">
<header><a href="${escapeHtml(profile)}" target="_blank" rel="noopener"><strong>${escapeHtml(authorName(post))}</strong> <span>@${escapeHtml(post.author.username)}</span></a></header>
${image ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener"><img src="${escapeHtml(image.url)}" width="${image.width}" height="${image.height}" alt="${escapeHtml(image.alt)}"></a>` : ''}
${post.media.length > 1 ? `<p class="count">1 of ${post.media.length} photos</p>` : ''}
<p class="caption">${escapeHtml(post.status.text)}</p>
<footer><a href="${escapeHtml(url)}" target="_blank" rel="noopener">View this post by @${escapeHtml(post.author.username)} on ${escapeHtml(site)}</a></footer>
</article></body></html>`;
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
