import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { EXPORT_LINKS, fetchImport, startImport, type RelationImport, type RelationKind } from '../api/portability-api.ts';
import { ErrorMessage } from '../ui/feedback.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { useFormSubmit } from '../ui/use-form-submit.ts';
import { DataArchiveSection } from './data-archive-section.tsx';

const KINDS: Array<{ value: RelationKind; label: string }> = [
  { value: 'following', label: 'Follows' },
  { value: 'blocking', label: 'Blocks' },
  { value: 'muting', label: 'Mutes' },
];
const REASONS: Record<string, string> = { remote: 'on another server', unknown: 'no such account here', invalid: 'not an account address' };
const POLL_MS = 1000;
const MAX_POLLS = 300;

/**
 * Settings → Import and export: the archive of one's data, and Mastodon's CSV files of follows, blocks and mutes. Downloads are
 * plain links; an upload starts an import on the server, whose progress this page follows.
 */
export function ImportExportPage() {
  useDocumentTitle('Import and export');
  const api = useApi();
  const [type, setType] = useState<RelationKind>('following');
  const [mode, setMode] = useState<'merge' | 'overwrite'>('merge');
  const [file, setFile] = useState<File | null>(null);
  const [current, setCurrent] = useState<RelationImport | null>(null);
  // A failed progress check; the form shows whichever error came last.
  const [pollError, setPollError] = useState<unknown>(null);

  // Follows the import until its jobs are done.
  useEffect(() => {
    if (!current || current.state === 'finished') return;
    let polls = 0;
    const timer = setInterval(() => {
      if (++polls > MAX_POLLS) return clearInterval(timer);
      fetchImport(api, current.id).then(
        (next) => setCurrent((shown) => (shown?.id === next.id ? next : shown)),
        (err: unknown) => setPollError(err),
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, current?.id, current?.state]);

  const { submit, isSubmitting, error } = useFormSubmit(
    () => {
      setPollError(null);
      // The form sends only with a file chosen.
      return startImport(api, file!, type, mode);
    },
    { onSuccess: setCurrent, onError: () => setPollError(null) },
  );

  return (
    <section className="settings-section">
      <h1 className="page-title">Import and export</h1>
      <DataArchiveSection />
      <h2>Export</h2>
      <p>CSV files in Mastodon&rsquo;s format, which other servers can import.</p>
      <ul>
        {EXPORT_LINKS.map((link) => (
          <li key={link.href}>
            <a href={link.href} download>
              {link.label} (CSV)
            </a>
          </li>
        ))}
      </ul>
      <h2>Import</h2>
      <form className="settings-form" onSubmit={(event) => (file ? submit(event) : event.preventDefault())} aria-label="Import accounts">
        <label className="field">
          <span className="field-label">What the file holds</span>
          <select name="type" value={type} onChange={(e) => setType(e.target.value as RelationKind)}>
            {KINDS.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="field">
          <legend className="field-label">How</legend>
          <label>
            <input type="radio" name="mode" value="merge" checked={mode === 'merge'} onChange={() => setMode('merge')} /> Merge: add these to the ones you have
          </label>
          <label>
            <input type="radio" name="mode" value="overwrite" checked={mode === 'overwrite'} onChange={() => setMode('overwrite')} /> Overwrite: keep only the ones in the file
          </label>
        </fieldset>
        <label className="field">
          <span className="field-label">CSV file (at most 1 MiB, 10,000 accounts)</span>
          <input type="file" name="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <ErrorMessage error={pollError ?? error} />
        <button type="submit" className="button button-primary" disabled={isSubmitting || !file} aria-busy={isSubmitting}>
          Import
        </button>
      </form>
      {current && (
        <div role="status">
          {current.state === 'finished' ? (
            <p className="success-message">
              Import done: {current.imported_items} of {current.total_items} imported.
            </p>
          ) : (
            <p>
              Importing… {current.processed_items} of {current.total_items}
            </p>
          )}
          {current.skipped.length > 0 && (
            <>
              <p>Skipped ({current.skipped.length}):</p>
              <ul>
                {current.skipped.slice(0, 100).map((row, i) => (
                  <li key={`${row.address}-${i}`}>
                    {row.address}: {REASONS[row.reason] ?? row.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
