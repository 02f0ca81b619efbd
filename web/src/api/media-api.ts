import { ApiError, type ApiClient } from './api-client.ts';
import type { CredentialAccount, MediaAttachment } from './mastodon-types.ts';

const id = (value: string) => encodeURIComponent(value);

/** Uploads one photo (multipart, with progress). 200: processed; 202: still processing. */
export async function uploadMedia(
  api: ApiClient,
  file: File,
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<{ media: MediaAttachment; isReady: boolean }> {
  const form = new FormData();
  form.append('file', file, file.name);
  const response = await api.upload<MediaAttachment>('/api/v2/media', form, options);
  return { media: response.data, isReady: response.status === 200 && Boolean(response.data?.url) };
}

/** GET /api/v1/media/:id: 200 once processed, 206 while it is not; a failure is a 422. */
export async function fetchMedia(api: ApiClient, mediaId: string, signal?: AbortSignal): Promise<{ media: MediaAttachment; isReady: boolean }> {
  const response = await api.request<MediaAttachment>('GET', `/api/v1/media/${id(mediaId)}`, { signal });
  return { media: response.data, isReady: response.status === 200 && Boolean(response.data?.url) };
}

export function updateMediaDescription(api: ApiClient, mediaId: string, description: string): Promise<MediaAttachment> {
  return api.request<MediaAttachment>('PUT', `/api/v1/media/${id(mediaId)}`, { body: { description } }).then((r) => r.data);
}

const POLL_DELAYS_MS = [500, 750, 1000, 1500, 2000];
/** Processing runs in a bounded queue with a timeout; past this the client stops asking. */
const POLL_LIMIT_MS = 3 * 60_000;

/** Asks until the server has processed the photo; rejects with the server's reason if it failed. */
export async function waitUntilProcessed(api: ApiClient, mediaId: string, signal?: AbortSignal): Promise<MediaAttachment> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    await delay(POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)], signal);
    const { media, isReady } = await fetchMedia(api, mediaId, signal);
    if (isReady) return media;
    if (Date.now() - started > POLL_LIMIT_MS) throw new ApiError(0, 'The photo is taking too long to process. Remove it and try again.');
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = () => {
      const error = new Error('The request was cancelled');
      error.name = 'AbortError';
      reject(error);
    };
    if (signal?.aborted) return fail();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      fail();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export type ProfileImagePurpose = 'avatar' | 'header';

/** Sets the avatar or header (multipart PATCH update_credentials); answers the updated account. */
export async function uploadProfileImage(
  api: ApiClient,
  purpose: ProfileImagePurpose,
  image: Blob,
  filename: string,
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<CredentialAccount> {
  const form = new FormData();
  form.append(purpose, image, filename);
  return (await api.upload<CredentialAccount>('/api/v1/accounts/update_credentials', form, { ...options, method: 'PATCH' })).data;
}

/** DELETE /api/v1/profile/avatar|header: back to the default picture. */
export function removeProfileImage(api: ApiClient, purpose: ProfileImagePurpose): Promise<CredentialAccount> {
  return api.delete<CredentialAccount>(`/api/v1/profile/${purpose}`);
}

/** The server's stand-in when no picture is set (`/static/avatar-missing.png`). */
export function hasOwnImage(url: string | null | undefined): boolean {
  return Boolean(url) && !/\/(avatar|header)-missing\.png$/.test(url ?? '');
}
