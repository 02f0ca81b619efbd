import type { ApiClient } from './api-client.ts';

export type RelationKind = 'following' | 'blocking' | 'muting';

/** Downloads of Mastodon's CSV files (plain links: the session cookie goes along). */
export const EXPORT_LINKS: Array<{ href: string; label: string }> = [
  { href: '/api/glimpse/v1/exports/following.csv', label: 'Accounts you follow' },
  { href: '/api/glimpse/v1/exports/blocks.csv', label: 'Accounts you block' },
  { href: '/api/glimpse/v1/exports/mutes.csv', label: 'Accounts you mute' },
];

export interface RelationImport {
  id: string;
  type: RelationKind;
  mode: 'merge' | 'overwrite';
  state: 'queued' | 'removing' | 'adding' | 'finished';
  total_items: number;
  processed_items: number;
  imported_items: number;
  skipped: Array<{ address: string; reason: string }>;
}

export async function startImport(api: ApiClient, file: File, type: RelationKind, mode: 'merge' | 'overwrite'): Promise<RelationImport> {
  const form = new FormData();
  form.append('type', type);
  form.append('mode', mode);
  form.append('file', file, file.name);
  return (await api.upload<RelationImport>('/api/glimpse/v1/imports', form)).data;
}

export function fetchImport(api: ApiClient, id: string): Promise<RelationImport> {
  return api.get(`/api/glimpse/v1/imports/${encodeURIComponent(id)}`);
}

/** "Download your data": an archive being built, ready, or failed (GET /api/glimpse/v1/archives). */
export interface DataArchive {
  id: string;
  state: 'pending' | 'ready' | 'failed';
  created_at: string;
  ready_at: string | null;
  expires_at: string | null;
  size: number | null;
  /** The download while its link works (the session cookie goes along). */
  url: string | null;
}

export function fetchArchives(api: ApiClient): Promise<DataArchive[]> {
  return api.get('/api/glimpse/v1/archives');
}

export function requestArchive(api: ApiClient): Promise<DataArchive> {
  return api.post('/api/glimpse/v1/archives');
}
