// The embed's carousel dots and its height for the page that frames it. A file of its own:
// the embed's Content-Security-Policy allows no inline script.
(function () {
  'use strict';
  var slides = document.querySelector('.slides');
  var dots = Array.prototype.slice.call(document.querySelectorAll('.dot'));
  var current = document.querySelector('.count .current');
  var shown = 0;

  function show(index) {
    if (index === shown) return;
    shown = index;
    dots.forEach(function (dot, i) {
      if (i === index) dot.setAttribute('aria-current', 'true');
      else dot.removeAttribute('aria-current');
    });
    if (current) current.textContent = String(index + 1);
  }

  if (slides && dots.length) {
    slides.addEventListener(
      'scroll',
      function () {
        var width = slides.clientWidth || 1;
        show(Math.max(0, Math.min(dots.length - 1, Math.round(slides.scrollLeft / width))));
      },
      { passive: true },
    );
    dots.forEach(function (dot, i) {
      dot.addEventListener('click', function (event) {
        // Scroll the strip only, never the page around the frame.
        event.preventDefault();
        slides.scrollTo({ left: i * slides.clientWidth });
      });
    });
  }

  // The snippet's loader (embed-loader.js) sizes the frame to the post.
  function tellHeight() {
    if (window.parent === window) return;
    window.parent.postMessage({ type: 'glimpse:embed-height', height: document.documentElement.scrollHeight }, '*');
  }
  window.addEventListener('load', tellHeight);
  if (typeof ResizeObserver === 'function') new ResizeObserver(tellHeight).observe(document.body);
})();
