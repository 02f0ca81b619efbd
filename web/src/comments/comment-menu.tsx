import { useEffect, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { ErrorMessage } from '../ui/feedback.tsx';
import { MoreIcon } from '../ui/icons.tsx';
import { useDisclosure } from '../ui/use-disclosure.ts';
import { deleteComment, fetchRestricting, reportComment, setCommentPinned, setRestricted, type CommentStatus } from './comments-api.ts';
import { useComments } from './comments-context.tsx';
import { ReportDialog, shortQuote } from './report-dialog.tsx';
import { htmlToText } from '../ui/html-to-text.ts';

type Busy = 'pin' | 'delete' | 'restrict' | null;

/**
 * "Comment options": Pin/Unpin and Delete as the server allows them on this comment
 * (`glimpse.can`: today pin is the post's author's, on top-level comments; delete the comment's
 * or the post's author's), Restrict @user for the post's author, Report for anyone but the
 * comment's author. A disclosure of plain buttons, closed by Escape or a click outside.
 */
export function CommentMenu({
  status,
  isPinned,
  onRemove,
  onNotice,
  describedBy,
}: {
  status: CommentStatus;
  isPinned: boolean;
  onRemove: (status: CommentStatus) => void;
  /** What an action tells (restricted, reported): the row shows it on a line of its own, not in this menu's place in the row. */
  onNotice: (notice: string) => void;
  describedBy?: string;
}) {
  const api = useApi();
  const { post, viewer, isPostAuthor, reload, restrictions, setRestriction } = useComments();
  const [isConfirmingDelete, setConfirmingDelete] = useState(false);
  const { isOpen, close, toggle, panelId, wrapRef, triggerRef, panelRef } = useDisclosure({ onClose: () => setConfirmingDelete(false) });
  const [isReporting, setReporting] = useState(false);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<unknown>(null);

  const author = status.account;
  const handle = author.acct || author.username;
  // Who may pin or delete is decided on the server (access/capabilities.ts); not decided again here.
  const { pin: canPin, delete: canDelete } = status.glimpse.can;
  // Not permissions: Restrict is about the comment's author's comments on all of the viewer's
  // posts, and one does not report oneself.
  const isCommentAuthor = viewer?.id === author.id;
  const canRestrict = isPostAuthor && !isCommentAuthor;
  const restricting = restrictions.get(author.id);

  // Whether the author is restricted already, asked when the post's author opens the menu.
  useEffect(() => {
    if (!isOpen || !canRestrict || restricting !== undefined) return;
    const controller = new AbortController();
    fetchRestricting(api, author.id, controller.signal).then(
      (on) => setRestriction(author.id, on),
      () => {},
    );
    return () => controller.abort();
  }, [isOpen, canRestrict, restricting, api, author.id, setRestriction]);

  const run = async (kind: Exclude<Busy, null>, action: () => Promise<void>) => {
    setBusy(kind);
    setError(null);
    onNotice('');
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const togglePin = () =>
    run('pin', async () => {
      await setCommentPinned(api, post.id, status.id, !isPinned);
      close();
      reload();
    });

  const remove = () =>
    run('delete', async () => {
      await deleteComment(api, status.id);
      close(false);
      onRemove(status);
    });

  const toggleRestrict = () =>
    run('restrict', async () => {
      const result = await setRestricted(api, author.id, !restricting);
      setRestriction(author.id, result.restricting);
      close();
      onNotice(
        result.restricting
          ? `@${handle} is restricted. Their new comments on your posts are seen only by them until you approve them.`
          : `@${handle} is no longer restricted.`,
      );
    });

  return (
    <div className="actions-menu comment-menu" ref={wrapRef}>
      <button
        ref={triggerRef}
        type="button"
        className="comment-menu-trigger"
        aria-label="Comment options"
        aria-expanded={isOpen}
        aria-controls={panelId}
        aria-describedby={describedBy}
        onClick={toggle}
      >
        <MoreIcon />
      </button>
      <div id={panelId} ref={panelRef} className="actions-menu-panel comment-menu-panel" hidden={!isOpen}>
        {isConfirmingDelete ? (
          <div role="group" aria-label="Delete this comment?" className="comment-menu-confirm">
            <p>Delete this comment?</p>
            <button type="button" className="menu-item menu-item-danger" onClick={remove} disabled={busy !== null} aria-busy={busy === 'delete'}>
              Delete comment
            </button>
            <button type="button" className="menu-item" onClick={() => setConfirmingDelete(false)} disabled={busy !== null}>
              Cancel
            </button>
          </div>
        ) : (
          <>
            {canPin && (
              <button type="button" className="menu-item" onClick={togglePin} disabled={busy !== null} aria-busy={busy === 'pin'}>
                {isPinned ? 'Unpin' : 'Pin'}
              </button>
            )}
            {canDelete && (
              <button type="button" className="menu-item menu-item-danger" onClick={() => setConfirmingDelete(true)} disabled={busy !== null}>
                Delete
              </button>
            )}
            {canRestrict && (
              <button type="button" className="menu-item" onClick={toggleRestrict} disabled={busy !== null} aria-busy={busy === 'restrict'}>
                {restricting ? `Unrestrict @${handle}` : `Restrict @${handle}`}
              </button>
            )}
            {!isCommentAuthor && (
              <button
                type="button"
                className="menu-item menu-item-danger"
                onClick={() => {
                  close(false);
                  setReporting(true);
                }}
              >
                Report
              </button>
            )}
          </>
        )}
      </div>
      <ErrorMessage error={error} />
      {isReporting && (
        <ReportDialog
          title="Report comment"
          what={`@${handle}: “${shortQuote(htmlToText(status.content))}”`}
          send={(report) => reportComment(api, { ...report, account_id: author.id, status_ids: [status.id] })}
          onClose={(sent) => {
            setReporting(false);
            if (sent) onNotice('Thanks for letting us know. Your report was sent to the moderators.');
            triggerRef.current?.focus();
          }}
        />
      )}
    </div>
  );
}
