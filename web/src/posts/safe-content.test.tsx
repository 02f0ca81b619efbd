import { render } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderSafeHtml, SafeContent, safeHref } from './safe-content.tsx';

function renderContent(html: string) {
  return render(
    <MemoryRouter>
      <SafeContent html={html} className="caption" />
    </MemoryRouter>,
  ).container.querySelector('.caption');
}

const origin = window.location.origin;

describe('SafeContent', () => {
  it('keeps paragraphs, line breaks and the text of a caption', () => {
    const caption = renderContent('<p>Party time<br />with friends</p><p>second paragraph</p>');
    expect(caption?.innerHTML).toBe('<p>Party time<br>with friends</p><p>second paragraph</p>');
  });

  it('drops scripts, styles and frames with their content, and every attribute but href and class', () => {
    const caption = renderContent(
      '<p onclick="alert(1)" style="color:red" id="x">hi<script>alert(2)</script><style>p{}</style><template>tpl</template><textarea>area</textarea>' +
        '<img src=x onerror="alert(3)"><b onmouseover="alert(4)">bold</b></p>',
    );
    expect(caption?.innerHTML).toBe('<p>hibold</p>');
    expect(caption?.querySelector('script, style, template, textarea, img, b, [onclick], [style], [id]')).toBeNull();
  });

  it('shows escaped markup as text, never as elements', () => {
    const caption = renderContent('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;</p>');
    expect(caption?.textContent).toBe('<script>alert(1)</script> & <img src=x onerror=alert(1)>');
    expect(caption?.querySelector('script, img')).toBeNull();
  });

  it('keeps http(s) links with rel and target for outside sites, and only the known classes', () => {
    const caption = renderContent(
      '<p><a href="https://example.com/page" class="evil-class u-url" rel="opener" target="_self" onclick="x()" data-x="1">example</a></p>',
    );
    const link = caption?.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.com/page');
    expect(link?.getAttribute('rel')).toBe('nofollow noopener noreferrer');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('class')).toBe('u-url');
    expect(link?.getAttributeNames().sort()).toEqual(['class', 'href', 'rel', 'target']);
  });

  it('turns javascript: and data: links into plain text', () => {
    const caption = renderContent('<p><a href="javascript:alert(1)">click</a> <a href="data:text/html,hi">data</a> <a href=" JaVaScRiPt:alert(1)">again</a></p>');
    expect(caption?.querySelector('a')).toBeNull();
    expect(caption?.textContent).toBe('click data again');
  });

  it('opens mentions and hashtags of this server inside the app', () => {
    const caption = renderContent(
      `<p>with <span class="h-card"><a href="${origin}/@ines" class="u-url mention">@<span>ines</span></a></span> <a href="${origin}/tags/party" class="mention hashtag" rel="tag">#<span>party</span></a></p>`,
    );
    const links = caption?.querySelectorAll('a') ?? [];
    expect(links[0].getAttribute('href')).toBe('/@ines');
    expect(links[0].textContent).toBe('@ines');
    expect(links[0].getAttribute('class')).toBe('u-url mention');
    expect(links[0].hasAttribute('target')).toBe(false);
    expect(links[1].getAttribute('href')).toBe('/tags/party');
    expect(links[1].hasAttribute('target')).toBe(false);
    expect(caption?.querySelector('span')).toBeNull();
  });

  it('does not nest links', () => {
    const nodes = renderSafeHtml('<a href="https://a.test">a <a href="https://b.test">b</a></a>', 'http://glimpse.test');
    const { container } = render(<MemoryRouter>{nodes}</MemoryRouter>);
    expect(container.querySelectorAll('a a')).toHaveLength(0);
  });

  it('renders nothing for empty content', () => {
    expect(renderSafeHtml('')).toEqual([]);
    expect(renderContent('')).toBeNull();
  });
});

describe('safeHref', () => {
  it('allows only http and https', () => {
    expect(safeHref('https://x.test/a', 'http://glimpse.test')?.href).toBe('https://x.test/a');
    expect(safeHref('/@ines', 'http://glimpse.test')?.href).toBe('http://glimpse.test/@ines');
    expect(safeHref('javascript:alert(1)', 'http://glimpse.test')).toBeNull();
    expect(safeHref('vbscript:x', 'http://glimpse.test')).toBeNull();
    expect(safeHref(null)).toBeNull();
  });
});

describe('SafeContent with custom emojis', () => {
  const emojis = [{ shortcode: 'blobcat', url: 'http://glimpse.test/media/k/emoji128.webp', static_url: 'http://glimpse.test/media/k/emoji128.webp' }];
  const renderWith = (html: string, list = emojis) =>
    render(
      <MemoryRouter>
        <SafeContent html={html} emojis={list} className="caption" />
      </MemoryRouter>,
    ).container.querySelector('.caption');

  it('draws a listed :shortcode: as an image with the shortcode as alt text, and leaves unlisted ones as text', () => {
    const caption = renderWith('<p>party :blobcat: and :nosuch: :blobcat:</p>');
    const images = caption?.querySelectorAll('img.custom-emoji') ?? [];
    expect(images).toHaveLength(2);
    expect(images[0].getAttribute('alt')).toBe(':blobcat:');
    expect(images[0].getAttribute('src')).toBe('http://glimpse.test/media/k/emoji128.webp');
    expect(caption?.textContent).toBe('party  and :nosuch: ');
  });

  it('never draws an emoji whose URL is not http(s), nor anything without the status\'s list', () => {
    expect(renderWith('<p>:blobcat:</p>', [{ ...emojis[0], url: 'javascript:alert(1)' }])?.querySelector('img')).toBeNull();
    expect(renderContent('<p>:blobcat:</p>')?.innerHTML).toBe('<p>:blobcat:</p>');
  });
});
