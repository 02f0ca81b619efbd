import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Prng } from './prng.ts';

/**
 * Photo-like test images, made here (deterministic, no binary fixtures): smooth colour fields
 * with soft shapes and a little grain, so JPEG sizes and codec work look like a phone photo's
 * rather than a flat colour's. Written once per size into `dir` and reused.
 */
export async function makePhotos(dir: string, count: number, width: number, height: number, seed = 'photos'): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let k = 0; k < count; k++) {
    const file = path.join(dir, `photo-${width}x${height}-${k}.jpg`);
    files.push(file);
    if (fs.existsSync(file)) continue;
    const rng = new Prng(`${seed}:${k}`);
    const raw = Buffer.alloc(width * height * 3);
    const blobs = Array.from({ length: 12 }, () => ({ x: rng.next() * width, y: rng.next() * height, r: (0.05 + rng.next() * 0.2) * width, c: [rng.int(256), rng.int(256), rng.int(256)] }));
    const base = [rng.int(200), rng.int(200), rng.int(200)];
    let noise = rng.int(2 ** 31);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let r = base[0] + (40 * x) / width;
        let g = base[1] + (40 * y) / height;
        let b = base[2] + 20 * Math.sin((x + y) / 97);
        for (const blob of blobs) {
          const dx = x - blob.x;
          const dy = y - blob.y;
          const d2 = (dx * dx + dy * dy) / (blob.r * blob.r);
          if (d2 < 1) {
            const w = 1 - d2;
            r += (blob.c[0] - r) * w;
            g += (blob.c[1] - g) * w;
            b += (blob.c[2] - b) * w;
          }
        }
        noise = (Math.imul(noise, 1103515245) + 12345) & 0x7fffffff;
        const grain = ((noise >> 16) & 15) - 7;
        const i = (y * width + x) * 3;
        raw[i] = Math.max(0, Math.min(255, r + grain));
        raw[i + 1] = Math.max(0, Math.min(255, g + grain));
        raw[i + 2] = Math.max(0, Math.min(255, b + grain));
      }
    }
    await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toFile(file);
  }
  return files;
}
