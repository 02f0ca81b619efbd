import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { type DataArchive, fetchArchives, requestArchive } from '../api/portability-api.ts';
import { ApiError } from '../api/api-client.ts';
import { ErrorMessage } from '../ui/feedback.tsx';

const POLL_MS = 2000;
const MAX_POLLS = 300;

const sizeOf = (bytes: number | null) => (bytes === null ? '' : bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const dateOf = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

/**
 * Settings → Import and export → Download your data: asks the server for an archive of the
 * account (posts with their photos, stories, comments, likes, follows, blocks), follows it
 * while it is built, and links it while the link works (seven days). One a day.
 */
export function DataArchiveSection() {
  const api = useApi();
  const [archives, setArchives] = useState<DataArchive[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isAsking, setAsking] = useState(false);
  const pending = archives?.some((a) => a.state === 'pending') ?? false;

  useEffect(() => {
    fetchArchives(api).then(setArchives, setError);
  }, [api]);

  // While one is being built, look again every two seconds (bounded).
  useEffect(() => {
    if (!pending) return;
    let polls = 0;
    const timer = setInterval(() => {
      if (++polls > MAX_POLLS) return clearInterval(timer);
      fetchArchives(api).then(setArchives, setError);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, pending]);

  const ask = async () => {
    setError(null);
    setAsking(true);
    try {
      const created = await requestArchive(api);
      setArchives((shown) => [created, ...(shown ?? [])]);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? new Error('You can ask for one archive a day. Try again tomorrow.') : err);
    } finally {
      setAsking(false);
    }
  };

  return (
    <>
      <h2>Download your data</h2>
      <p>An archive of your profile, posts with their photos, stories, highlights, comments, likes, and the accounts you follow, block and mute, as JSON files and images. We notify you when it is ready; the link works for seven days.</p>
      <ErrorMessage error={error} />
      <button type="button" className="button button-primary" onClick={ask} disabled={isAsking || pending} aria-busy={isAsking}>
        {pending ? 'Preparing your archive…' : 'Request an archive'}
      </button>
      {archives && archives.length > 0 && (
        <ul className="data-archives">
          {archives.map((archive) => (
            <li key={archive.id}>
              {archive.state === 'ready' && archive.url ? (
                <>
                  <a href={new URL(archive.url).pathname} download>
                    Archive of {dateOf(archive.created_at)} ({sizeOf(archive.size)})
                  </a>{' '}
                  — available until {dateOf(archive.expires_at!)}
                </>
              ) : archive.state === 'pending' ? (
                <span role="status">Archive of {dateOf(archive.created_at)}: being prepared…</span>
              ) : archive.state === 'failed' ? (
                <span>Archive of {dateOf(archive.created_at)}: it could not be made. You can ask again.</span>
              ) : (
                <span>Archive of {dateOf(archive.created_at)}: the link has expired.</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
