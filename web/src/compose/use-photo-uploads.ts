import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort, messageOf } from '../api/api-client.ts';
import { useApi } from '../api/api-context.tsx';
import type { Account, MediaAttachment } from '../api/mastodon-types.ts';
import { uploadMedia, waitUntilProcessed } from '../api/media-api.ts';

export const MAX_PHOTOS = 20;
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;
export const MAX_TAGS_PER_PHOTO = 20;

export type UploadPhase = 'uploading' | 'processing' | 'ready' | 'failed';

export interface DraftTag {
  account: Account;
  x: number;
  y: number;
}

export interface ComposerPhoto {
  key: string;
  file: File;
  /** A blob: URL of the chosen file, shown until the post is shared. */
  previewUrl: string;
  phase: UploadPhase;
  /** Upload progress in percent. */
  progress: number;
  media: MediaAttachment | null;
  error: string | null;
  alt: string;
  tags: DraftTag[];
}

export interface PhotoUploads {
  photos: ComposerPhoto[];
  /** Adds and starts uploading files; returns why some were left out, if any were. */
  add: (files: Iterable<File>) => string | null;
  remove: (key: string) => void;
  retry: (key: string) => void;
  /** Moves a photo by `delta` places (-1 left, +1 right). */
  move: (key: string, delta: number) => void;
  moveTo: (key: string, index: number) => void;
  setAlt: (key: string, alt: string) => void;
  addTag: (key: string, tag: DraftTag) => void;
  removeTag: (key: string, accountId: string) => void;
  isAllReady: boolean;
}

let nextKey = 0;

function objectUrl(file: File): string {
  return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : '';
}

function revoke(url: string): void {
  if (url && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(url);
}

/**
 * The photos of a post being composed. Each uploads as soon as it is chosen (with progress),
 * then is polled until the server has processed it; removing one cancels its upload.
 */
export function usePhotoUploads(): PhotoUploads {
  const api = useApi();
  const [photos, setPhotos] = useState<ComposerPhoto[]>([]);
  const photosRef = useRef(photos);
  photosRef.current = photos;
  const controllers = useRef(new Map<string, AbortController>());

  useEffect(() => {
    const running = controllers.current;
    return () => {
      running.forEach((controller) => controller.abort());
      running.clear();
      photosRef.current.forEach((photo) => revoke(photo.previewUrl));
    };
  }, []);

  const patch = useCallback((key: string, change: Partial<ComposerPhoto>) => {
    setPhotos((current) => current.map((photo) => (photo.key === key ? { ...photo, ...change } : photo)));
  }, []);

  const start = useCallback(
    (key: string, file: File) => {
      controllers.current.get(key)?.abort();
      const controller = new AbortController();
      controllers.current.set(key, controller);
      const { signal } = controller;
      void (async () => {
        try {
          const uploaded = await uploadMedia(api, file, {
            signal,
            onProgress: (fraction) => {
              if (!signal.aborted) patch(key, { progress: Math.round(fraction * 100) });
            },
          });
          if (signal.aborted) return;
          patch(key, { progress: 100, media: uploaded.media, phase: uploaded.isReady ? 'ready' : 'processing' });
          if (uploaded.isReady) return;
          const processed = await waitUntilProcessed(api, uploaded.media.id, signal);
          if (!signal.aborted) patch(key, { media: processed, phase: 'ready' });
        } catch (error) {
          if (signal.aborted || isAbort(error)) return;
          patch(key, { phase: 'failed', error: messageOf(error) });
        } finally {
          if (controllers.current.get(key) === controller) controllers.current.delete(key);
        }
      })();
    },
    [api, patch],
  );

  const add = useCallback(
    (files: Iterable<File>) => {
      const room = MAX_PHOTOS - photosRef.current.length;
      const problems = new Set<string>();
      const accepted: ComposerPhoto[] = [];
      for (const file of files) {
        if (!file.type.startsWith('image/')) {
          problems.add(`${file.name} is not a photo.`);
          continue;
        }
        if (file.size > MAX_UPLOAD_BYTES) {
          problems.add(`${file.name} is larger than 16 MB.`);
          continue;
        }
        if (accepted.length >= room) {
          problems.add(`A post can have at most ${MAX_PHOTOS} photos.`);
          continue;
        }
        accepted.push({ key: `photo-${++nextKey}`, file, previewUrl: objectUrl(file), phase: 'uploading', progress: 0, media: null, error: null, alt: '', tags: [] });
      }
      if (accepted.length > 0) {
        photosRef.current = [...photosRef.current, ...accepted];
        setPhotos((current) => [...current, ...accepted]);
        for (const photo of accepted) start(photo.key, photo.file);
      }
      return problems.size > 0 ? [...problems].join(' ') : null;
    },
    [start],
  );

  const remove = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    controllers.current.delete(key);
    const photo = photosRef.current.find((p) => p.key === key);
    if (photo) revoke(photo.previewUrl);
    photosRef.current = photosRef.current.filter((p) => p.key !== key);
    setPhotos((current) => current.filter((p) => p.key !== key));
  }, []);

  const retry = useCallback(
    (key: string) => {
      const photo = photosRef.current.find((p) => p.key === key);
      if (!photo) return;
      patch(key, { phase: 'uploading', progress: 0, error: null, media: null });
      start(key, photo.file);
    },
    [patch, start],
  );

  const moveTo = useCallback((key: string, index: number) => {
    setPhotos((current) => {
      const from = current.findIndex((p) => p.key === key);
      const to = Math.max(0, Math.min(current.length - 1, index));
      if (from === -1 || from === to) return current;
      const next = [...current];
      const [photo] = next.splice(from, 1);
      next.splice(to, 0, photo);
      return next;
    });
  }, []);

  const move = useCallback(
    (key: string, delta: number) => {
      const from = photosRef.current.findIndex((p) => p.key === key);
      if (from !== -1) moveTo(key, from + delta);
    },
    [moveTo],
  );

  const setAlt = useCallback((key: string, alt: string) => patch(key, { alt }), [patch]);

  const addTag = useCallback((key: string, tag: DraftTag) => {
    setPhotos((current) =>
      current.map((photo) => {
        if (photo.key !== key) return photo;
        const others = photo.tags.filter((t) => t.account.id !== tag.account.id);
        return others.length >= MAX_TAGS_PER_PHOTO ? photo : { ...photo, tags: [...others, tag] };
      }),
    );
  }, []);

  const removeTag = useCallback((key: string, accountId: string) => {
    setPhotos((current) => current.map((photo) => (photo.key === key ? { ...photo, tags: photo.tags.filter((t) => t.account.id !== accountId) } : photo)));
  }, []);

  const isAllReady = photos.length > 0 && photos.every((p) => p.phase === 'ready' && p.media !== null);
  return { photos, add, remove, retry, move, moveTo, setAlt, addTag, removeTag, isAllReady };
}
