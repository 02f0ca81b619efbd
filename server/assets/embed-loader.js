// The embed snippet's loader, run on the site that embeds a post:
//   <blockquote class="glimpse-embed" data-glimpse-post="https://example.social/@mara/123">…</blockquote>
//   <script async src="https://example.social/static/embed-loader.js"></script>
// Each blockquote becomes an iframe of the post's /embed page (a link to the post stays when
// scripts are off). data-glimpse-comments="off" hides the comments (?comments=0). The frame
// takes the height the embed reports.
(function () {
  'use strict';
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : '';
  var frames = [];

  function load() {
    var quotes = document.querySelectorAll('blockquote.glimpse-embed[data-glimpse-post]');
    Array.prototype.forEach.call(quotes, function (quote) {
      var post;
      try {
        post = new URL(quote.getAttribute('data-glimpse-post'));
      } catch (e) {
        return;
      }
      // Only posts of the instance that served this script, by their own address.
      if (post.origin !== origin || !/^\/@[A-Za-z0-9_]{1,30}\/\d{1,20}$/.test(post.pathname)) return;
      var frame = document.createElement('iframe');
      frame.src = origin + post.pathname + '/embed' + (quote.getAttribute('data-glimpse-comments') === 'off' ? '?comments=0' : '');
      frame.className = 'glimpse-embed';
      frame.title = quote.getAttribute('data-glimpse-title') || 'Embedded post';
      frame.width = '400';
      frame.height = '640';
      frame.loading = 'lazy';
      frame.style.maxWidth = '100%';
      frame.style.border = '0';
      quote.replaceWith(frame);
      frames.push(frame);
    });
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== origin || !event.data || event.data.type !== 'glimpse:embed-height') return;
    frames.forEach(function (frame) {
      if (frame.contentWindow === event.source) frame.height = String(Math.min(4000, Math.max(100, Math.ceil(Number(event.data.height) || 0))));
    });
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', load);
  else load();
})();
