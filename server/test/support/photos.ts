import crypto from 'node:crypto';
import sharp from 'sharp';
import type { Actor, World, WorldName } from './world.ts';

/** A small real JPEG of one colour (tests make their own images; no binary fixtures). */
export async function makeJpeg(width = 64, height = 48, color = '#d14'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: color } }).jpeg().toBuffer();
}

/** A multipart body with one file and some text fields. */
export function multipartWithFile(field: string, file: { data: Buffer; filename: string; type: string }, fields: Array<[string, string]> = []): { body: Buffer; contentType: string } {
  const boundary = `----glimpse-${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
  chunks.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads a photo through POST /api/v1/media (which answers once it is processed). */
export async function uploadPhoto(world: World, as: WorldName | Actor, options: { color?: string; description?: string } = {}): Promise<string> {
  const data = await makeJpeg(64, 48, options.color);
  const { body, contentType } = multipartWithFile('file', { data, filename: 'photo.jpg', type: 'image/jpeg' }, options.description ? [['description', options.description]] : []);
  const res = await world.request(as, 'POST', '/api/v1/media', body, { 'content-type': contentType });
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Posts a photo post (one photo unless more are given) and answers the presented status. */
export async function postPhotos(world: World, as: WorldName | Actor, caption: string, options: { photos?: number; extra?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
  const mediaIds: string[] = [];
  for (let i = 0; i < (options.photos ?? 1); i++) mediaIds.push(await uploadPhoto(world, as, { color: ['#d14', '#1d4', '#14d', '#dd4'][i % 4] }));
  const res = await world.request(as, 'POST', '/api/v1/statuses', { status: caption, media_ids: mediaIds, ...(options.extra ?? {}) }, options.headers);
  if (res.status !== 200) throw new Error(`posting failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
