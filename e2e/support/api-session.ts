import sharp from 'sharp';
import type { TestAccount } from './glimpse.ts';
import type { GlimpseServer } from './server.ts';

/** One account's HTTP session as the web client holds it: its cookie and CSRF token. */
export type ApiSession = (method: string, url: string, body?: FormData | object) => Promise<any>;

/**
 * Signs `account` in over HTTP and returns a caller for the API with that session, so a test
 * sets up its world the way the client would and spends its browser steps on what it tests.
 * An answer other than 200, 202 or 206 (media still processing) throws with the server's message.
 */
export async function sessionOf(server: GlimpseServer, account: TestAccount): Promise<ApiSession> {
  const response = await fetch(`${server.url}/api/glimpse/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: account.username, password: account.password }),
  });
  const signedIn = (await response.json()) as { csrf_token?: string };
  if (response.status !== 200 || !signedIn.csrf_token) throw new Error(`signing in ${account.username} answered ${response.status}: ${JSON.stringify(signedIn)}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (method, url, body) => {
    const form = body instanceof FormData;
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        Cookie: cookie,
        'X-CSRF-Token': signedIn.csrf_token!,
        'Idempotency-Key': crypto.randomUUID(),
        ...(form || !body ? {} : { 'Content-Type': 'application/json' }),
      },
      body: form ? body : body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    if (![200, 202, 206].includes(res.status)) throw new Error(`${account.username} ${method} ${url} answered ${res.status}: ${text}`);
    return json;
  };
}

export interface PhotoOptions {
  width?: number;
  height?: number;
  /** A diagonal gradient between two colours, so photos look like photos in screenshots. */
  from?: { r: number; g: number; b: number };
  to?: { r: number; g: number; b: number };
  description?: string;
}

type Colour = { r: number; g: number; b: number };

/** A JPEG of a diagonal gradient from one colour to another. */
export function gradientJpeg(width: number, height: number, from: Colour, to: Colour): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="rgb(${from.r},${from.g},${from.b})"/><stop offset="1" stop-color="rgb(${to.r},${to.g},${to.b})"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/** A generated JPEG, uploaded and waited for until the server has processed it; its media id. */
export async function uploadPhoto(api: ApiSession, options: PhotoOptions = {}): Promise<string> {
  const { width = 900, height = 900, from = { r: 220, g: 120, b: 40 }, to = from, description = 'A generated photo' } = options;
  const jpeg = await gradientJpeg(width, height, from, to);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'photo.jpg');
  form.append('description', description);
  let media = await api('POST', '/api/v2/media', form);
  for (let tries = 0; media.url === null && tries < 240; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    media = await api('GET', `/api/v1/media/${media.id}`);
  }
  if (media.url === null) throw new Error(`media ${media.id} was not processed in time`);
  return media.id as string;
}
