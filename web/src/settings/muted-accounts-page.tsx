import { AccountToggleListPage } from './account-toggle-list-page.tsx';

const MUTED = {
  title: 'Muted accounts',
  path: '/api/v1/mutes',
  emptyTitle: 'You haven’t muted anyone',
  emptyText: 'Muted accounts don’t know they are muted; their posts and notifications stay out of your way.',
  undo: { action: 'unmute', label: 'Unmute' },
  redo: { action: 'mute', label: 'Mute' },
} as const;

export function MutedAccountsPage() {
  return <AccountToggleListPage config={MUTED} />;
}
