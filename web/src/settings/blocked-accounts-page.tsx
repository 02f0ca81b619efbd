import { AccountToggleListPage } from './account-toggle-list-page.tsx';

const BLOCKED = {
  title: 'Blocked accounts',
  path: '/api/v1/blocks',
  emptyTitle: 'You haven’t blocked anyone',
  emptyText: 'People you block can’t find your profile, see your posts or follow you.',
  undo: { action: 'unblock', label: 'Unblock' },
  redo: { action: 'block', label: 'Block' },
} as const;

export function BlockedAccountsPage() {
  return <AccountToggleListPage config={BLOCKED} />;
}
