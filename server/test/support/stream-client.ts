import WebSocket from 'ws';

export interface Frame {
  stream?: string[];
  event?: string;
  payload?: string;
}

/**
 * A WebSocket on a server's streaming API (an app listening in this process, or a real
 * process), collecting its frames, with its close code observable. Waits are woken by frames
 * and the close; `guardMs` only turns a hang into a failure.
 */
export async function openStreamAt(baseUrl: string, token: string, stream = 'user') {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/streaming?stream=${stream}&access_token=${encodeURIComponent(token)}`);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const w of [...waiters]) w();
  };
  let closedWith: number | undefined;
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    wakeAll();
  });
  socket.on('close', (code) => {
    closedWith = code;
    wakeAll();
  });
  const until = async <T>(found: () => T | undefined, what: string, guardMs: number): Promise<T> => {
    const guard = Date.now() + guardMs;
    for (;;) {
      const value = found();
      if (value !== undefined) return value;
      if (Date.now() > guard) throw new Error(`gave up waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 1000);
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
  };
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return {
    frames,
    /** The first frame matching, once it has arrived. */
    frame: (wanted: (f: Frame) => boolean, what = 'a frame', guardMs = 15_000) => until(() => frames.find(wanted), what, guardMs),
    /** The close code, once the server has closed the socket. */
    closed: (guardMs = 15_000) => until(() => closedWith, 'the stream to close', guardMs),
    get isOpen() {
      return socket.readyState === WebSocket.OPEN;
    },
    close: () => socket.close(),
  };
}
