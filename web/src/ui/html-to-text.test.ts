import { describe, expect, it } from 'vitest';
import { htmlToText } from './html-to-text.ts';

describe('htmlToText', () => {
  it('keeps line and paragraph breaks of a Mastodon bio', () => {
    expect(htmlToText('<p>Photographer<br>Lisbon</p><p>she/her</p>')).toBe('Photographer\nLisbon\n\nshe/her');
  });

  it('leaves markup as inert text and decodes entities', () => {
    expect(htmlToText('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; <img src=x onerror="alert(2)">hi</p>')).toBe('<script>alert(1)</script> & hi');
  });

  it('returns an empty string for an empty bio', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText(null)).toBe('');
  });
});
