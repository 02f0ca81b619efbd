import { vi } from 'vitest';

type Listener = (event: { lengthComputable?: boolean; loaded?: number; total?: number }) => void;

class Listeners {
  private readonly map = new Map<string, Listener[]>();
  addEventListener(type: string, listener: Listener) {
    this.map.set(type, [...(this.map.get(type) ?? []), listener]);
  }
  removeEventListener(type: string, listener: Listener) {
    this.map.set(type, (this.map.get(type) ?? []).filter((l) => l !== listener));
  }
  emit(type: string, event: Parameters<Listener>[0] = {}) {
    for (const listener of this.map.get(type) ?? []) listener(event);
  }
}

/**
 * A stand-in for XMLHttpRequest (uploads use it for their progress events). Each request is
 * kept so the test can report progress and then answer, as the server would.
 */
export class FakeXhr extends Listeners {
  static requests: FakeXhr[] = [];
  readonly upload = new Listeners();
  readonly headers: Record<string, string> = {};
  method = '';
  url = '';
  body: unknown = null;
  status = 0;
  responseText = '';
  withCredentials = false;
  aborted = false;

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.requests.push(this);
  }
  abort() {
    this.aborted = true;
    this.emit('abort');
  }

  /** The browser reports `loaded` of `total` bytes sent. */
  progress(loaded: number, total: number) {
    this.upload.emit('progress', { lengthComputable: true, loaded, total });
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.emit('load');
  }
  /** The file sent in the multipart body under `name`. */
  file(name = 'file'): File | null {
    return this.body instanceof FormData ? (this.body.get(name) as File | null) : null;
  }
}

export function installXhrMock() {
  FakeXhr.requests = [];
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return {
    get requests() {
      return FakeXhr.requests;
    },
    /** The requests still waiting for an answer. */
    pending: () => FakeXhr.requests.filter((r) => r.status === 0 && !r.aborted),
  };
}
