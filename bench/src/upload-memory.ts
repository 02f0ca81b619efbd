import fs from 'node:fs';
import path from 'node:path';
import type { ServerProcess } from './server-process.ts';

/** The largest upload the server takes (MEDIA_LIMITS.bytes). */
export const UPLOAD_LIMIT_BYTES = 16 * 1024 * 1024;

export interface UploadMemoryResult {
  uploads: number;
  bytesEach: number;
  /** Resident set size just before the burst. */
  idleRssMiB: number | undefined;
  /** Peak resident set size from the burst's start until every upload was processed. */
  peakRssMiB: number | undefined;
  /** How the peak was read: the kernel's high-water mark (reset first) or sampling VmRSS. */
  peakFrom: 'VmHWM' | 'sampled';
  statusCodes: Record<string, number>;
  ready: number;
  seconds: number;
}

/**
 * A photo padded with zeros after its end to exactly the upload limit: the server takes it
 * (bytes after the JPEG's end are ignored when it is re-encoded), so the whole 16 MiB travels
 * through the upload path and is stored, and the photo is then processed as usual.
 */
export function paddedPhoto(photo: string, dir: string, bytes = UPLOAD_LIMIT_BYTES): string {
  const file = path.join(dir, `${path.basename(photo, '.jpg')}-padded-${bytes}.jpg`);
  if (fs.existsSync(file) && fs.statSync(file).size === bytes) return file;
  const data = fs.readFileSync(photo);
  if (data.length > bytes) throw new Error(`${photo} is already larger than ${bytes} bytes`);
  const padded = Buffer.alloc(bytes);
  data.copy(padded);
  fs.writeFileSync(file, padded);
  return file;
}

/**
 * Sends `tokens.length` uploads of `file` at once through POST /api/v2/media, one per token
 * (each of another account, so no per-account bound is met), and waits until each is
 * processed. The server's peak RSS over that time is read from VmHWM after resetting it; where
 * the kernel does not allow the reset, VmRSS is sampled instead.
 */
export async function measureUploadMemory(server: ServerProcess, tokens: string[], file: string): Promise<UploadMemoryResult> {
  const data = fs.readFileSync(file);
  const blob = new Blob([data], { type: 'image/jpeg' });
  const idleRssMiB = server.rssMiB();
  const reset = server.resetPeakRss();
  let sampled = idleRssMiB ?? 0;
  const sampler = setInterval(() => (sampled = Math.max(sampled, server.rssMiB() ?? 0)), 20);
  const started = Date.now();
  const statusCodes: Record<string, number> = {};
  let ready = 0;
  try {
    await Promise.all(
      tokens.map(async (token) => {
        const form = new FormData();
        form.append('file', blob, 'photo.jpg');
        const res = await fetch(`${server.url}/api/v2/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
        const body = (await res.json()) as { id?: string };
        statusCodes[res.status] = (statusCodes[res.status] ?? 0) + 1;
        if ((res.status === 200 || res.status === 202) && body.id && (await processed(server.url, token, body.id))) ready += 1;
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const peakRssMiB = reset ? server.peakRssMiB() : Math.max(sampled, server.rssMiB() ?? 0);
  return { uploads: tokens.length, bytesEach: data.length, idleRssMiB, peakRssMiB, peakFrom: reset ? 'VmHWM' : 'sampled', statusCodes, ready, seconds: (Date.now() - started) / 1000 };
}

/** Polls GET /api/v1/media/:id until it is processed (200) or has failed. */
async function processed(url: string, token: string, id: string): Promise<boolean> {
  for (;;) {
    const res = await fetch(`${url}/api/v1/media/${id}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status === 200) return true;
    if (res.status !== 206) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
