import './app-shell.css';

/**
 * Placeholders for a feed of posts: the fallback while a page's code or the session loads.
 * Keep in step with the static copy in web/index.html, which is what paints before any script.
 */
export function PageSkeleton() {
  return (
    <div className="page shell-feed shell-skeleton" aria-hidden="true">
      {[0, 1].map((i) => (
        <div key={i} className="shell-card">
          <div className="shell-card-head">
            <span className="shell-block shell-avatar" />
            <span className="shell-block shell-line" />
          </div>
          <span className="shell-block shell-photo" />
          <span className="shell-block shell-line shell-line-long" />
        </div>
      ))}
    </div>
  );
}

/** The whole frame (bar, nav placeholders, feed placeholders), as index.html paints it. */
export function ShellSkeleton() {
  return (
    <div className="app-shell shell-skeleton">
      <header className="app-sidebar">
        <span className="brand-logo app-logo">Glimpse</span>
        <div className="app-nav" aria-hidden="true">
          <div className="nav-list shell-nav-list">
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <span key={i} className="shell-block" />
            ))}
          </div>
        </div>
      </header>
      <main className="app-main" id="main">
        <p className="visually-hidden" role="status">
          Loading…
        </p>
        <PageSkeleton />
      </main>
    </div>
  );
}
