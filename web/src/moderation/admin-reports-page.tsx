import { useEffect, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, isAbort } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import { postPath } from '../api/statuses-api.ts';
import { NotFoundPage } from '../app/not-found-page.tsx';
import { useSession } from '../auth/session-context.tsx';
import { SafeContent } from '../posts/safe-content.tsx';
import { profilePath } from '../ui/account-name.ts';
import { EmptyState, ErrorMessage, Loading, LoadError } from '../ui/feedback.tsx';
import { RelativeTime } from '../ui/relative-time.tsx';
import { useDocumentTitle } from '../ui/use-document-title.ts';
import { fetchAdminReports, resolveAdminReport, type AdminReport, type ReportAction } from './moderation-api.ts';
import './moderation.css';

const ACTIONS: { action: ReportAction; label: string; done: string }[] = [
  { action: 'dismiss', label: 'Dismiss', done: 'dismissed' },
  { action: 'hide', label: 'Hide the reported comments', done: 'resolved: the comments are hidden from everyone' },
  { action: 'suspend', label: 'Suspend the account', done: 'resolved: the account is suspended' },
];

type Load = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; reports: AdminReport[] };

/** `/admin/reports`: the instance admins' queue of open (or resolved) reports. Others get the 404 page. */
export function AdminReportsPage() {
  useDocumentTitle('Reports');
  const { state } = useSession();
  const api = useApi();
  // Staff work the report queue: moderators as well as admins (server: access/staff-policy.ts).
  const isAdmin = state.status === 'signed-in' && (state.role === 'admin' || state.role === 'moderator');
  const [showResolved, setShowResolved] = useState(false);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    if (!isAdmin) return;
    const controller = new AbortController();
    setLoad({ status: 'loading' });
    fetchAdminReports(api, showResolved, controller.signal).then(
      (reports) => setLoad({ status: 'ready', reports }),
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setLoad({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [api, isAdmin, showResolved, attempt]);

  if (!isAdmin) return <NotFoundPage />;
  if (load.status === 'error' && load.error instanceof ApiError && (load.error.status === 403 || load.error.status === 404)) return <NotFoundPage />;

  const resolve = async (report: AdminReport, action: ReportAction, done: string) => {
    setBusyId(report.id);
    setActionError(null);
    setAnnouncement('');
    try {
      await resolveAdminReport(api, report.id, action);
      setLoad((current) => (current.status === 'ready' ? { ...current, reports: current.reports.filter((r) => r.id !== report.id) } : current));
      setAnnouncement(`Report on @${report.target_account.acct} ${done}.`);
    } catch (error) {
      setActionError(error);
    } finally {
      setBusyId(null);
    }
  };

  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    const resolved = event.key === 'End' || (event.key !== 'Home' && !showResolved);
    setShowResolved(resolved);
    document.getElementById(resolved ? 'reports-tab-resolved' : 'reports-tab-open')?.focus();
  };

  return (
    <div className="page page-narrow moderation-page">
      <h1 className="page-title">Reports</h1>
      {/* Tabs in the ARIA pattern: arrow keys move between them, only the selected one is in the tab order. */}
      <div className="report-tabs" role="tablist" aria-label="Which reports" onKeyDown={onTabKey}>
        <button type="button" role="tab" id="reports-tab-open" className="report-tab" aria-selected={!showResolved} aria-controls="reports-panel" tabIndex={showResolved ? -1 : 0} onClick={() => setShowResolved(false)}>
          Open
        </button>
        <button type="button" role="tab" id="reports-tab-resolved" className="report-tab" aria-selected={showResolved} aria-controls="reports-panel" tabIndex={showResolved ? 0 : -1} onClick={() => setShowResolved(true)}>
          Resolved
        </button>
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <ErrorMessage error={actionError} />
      <div role="tabpanel" id="reports-panel" aria-labelledby={showResolved ? 'reports-tab-resolved' : 'reports-tab-open'}>
        {load.status === 'loading' ? (
          <Loading />
        ) : load.status === 'error' ? (
          <LoadError error={load.error} onRetry={() => setAttempt((a) => a + 1)} />
        ) : load.reports.length === 0 ? (
          <EmptyState title={showResolved ? 'No resolved reports' : 'No open reports'}>
            <p>Reports people send about accounts and comments show up here.</p>
          </EmptyState>
        ) : (
          <ul className="report-list" aria-label={showResolved ? 'Resolved reports' : 'Open reports'}>
            {load.reports.map((report) => (
              <li key={report.id} className="report-card" aria-labelledby={`report-${report.id}`}>
                <p id={`report-${report.id}`} className="report-heading">
                  <Link to={profilePath(report.target_account)} className="text-link">
                    @{report.target_account.acct}
                  </Link>{' '}
                  reported by{' '}
                  <Link to={profilePath(report.account)} className="text-link">
                    @{report.account.acct}
                  </Link>
                </p>
                <p className="report-meta">
                  <span className="report-category">{report.category}</span>
                  <span aria-hidden="true"> · </span>
                  <RelativeTime iso={report.created_at} />
                </p>
                {report.comment ? <blockquote className="report-comment">{report.comment}</blockquote> : null}
                {report.statuses.length > 0 && (
                  <ul className="report-statuses" aria-label="Reported posts and comments">
                    {report.statuses.map((status) => (
                      <li key={status.id} className="report-status">
                        <SafeContent html={status.content} className="comment-content" />{' '}
                        <Link to={postPath(status)} className="text-link report-status-link">
                          Open
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
                {report.action_taken ? (
                  <p className="report-meta">Resolved {report.action_taken_at ? <RelativeTime iso={report.action_taken_at} /> : null}</p>
                ) : (
                  <div className="report-actions">
                    {ACTIONS.filter((a) => a.action !== 'hide' || report.statuses.length > 0).map(({ action, label, done }) => (
                      <button
                        key={action}
                        type="button"
                        className={`button button-small ${action === 'dismiss' ? 'button-secondary' : action === 'suspend' ? 'button-danger' : ''}`}
                        disabled={busyId !== null}
                        aria-busy={busyId === report.id}
                        aria-describedby={`report-${report.id}`}
                        onClick={() => {
                          if (action === 'suspend' && !window.confirm(`Suspend @${report.target_account.acct}? They are logged out everywhere.`)) return;
                          void resolve(report, action, done);
                        }}
                      >
                        {label}
                      </button>
                    ))}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
