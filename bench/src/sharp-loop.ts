/**
 * The `sharp-loop` baseline, in its own process: the same photos the upload benchmark sends,
 * processed one after another in a plain loop, without HTTP or a database — decoded once to
 * at most 1080 wide, then 1080/640/320 wide each written as WebP and JPEG with the server's
 * encoder settings (WebP effort 4, mozjpeg). Prints {"photos":n,"seconds":s} as its last line.
 */
import fs from 'node:fs';
import sharp from 'sharp';

sharp.cache(false);
const SIZES = [
  { width: 1080, quality: 82 },
  { width: 640, quality: 80 },
  { width: 320, quality: 78 },
];

async function processOne(bytes: Buffer): Promise<number> {
  const base = await sharp(bytes).rotate().resize({ width: 1080, withoutEnlargement: true }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels };
  let bytesOut = 0;
  for (const size of SIZES) {
    const resized = () => sharp(base.data, { raw }).resize({ width: size.width, withoutEnlargement: true });
    bytesOut += (await resized().webp({ quality: size.quality, effort: 4 }).toBuffer()).length;
    bytesOut += (await resized().jpeg({ quality: size.quality, mozjpeg: true }).toBuffer()).length;
  }
  return bytesOut;
}

const [count, ...files] = process.argv.slice(2);
const images = files.map((f) => fs.readFileSync(f));
await processOne(images[0]); // warm-up, as the server is warm when uploads start
const started = performance.now();
for (let i = 0; i < Number(count); i++) await processOne(images[i % images.length]);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ photos: Number(count), seconds }));
