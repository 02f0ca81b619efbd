import { useEffect, useRef, useState } from 'react';

/** How long to wait before opening a stream again that the server closed for good (an error answer, a restart). */
const REOPEN_MS = 10_000;

/**
 * Listens to one of the Mastodon streams of the signed-in viewer (server-sent events on the
 * session cookie, same origin only): `onEvent` gets each event named in `events` with its
 * payload; `onReopen` runs each time the stream connects again after a drop, when missed events
 * should be fetched. EventSource reconnects by itself after a network drop; a stream the server
 * refused is opened again after REOPEN_MS. Answers whether the stream is open now. Where the
 * browser has no EventSource, nothing is opened.
 */
export function useStreamEvents(stream: string, events: readonly string[], handlers: { onEvent: (event: string, payload: string) => void; onReopen?: () => void }): boolean {
  const latest = useRef(handlers);
  latest.current = handlers;
  const [isOpen, setOpen] = useState(false);
  const names = events.join(',');
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let timer: number | undefined;
    let opened = false;
    let stopped = false;
    const connect = () => {
      source = new EventSource(`/api/v1/streaming/${stream}`);
      const onMessage = (event: MessageEvent<string>) => latest.current.onEvent(event.type, event.data);
      for (const name of names.split(',')) source.addEventListener(name, onMessage);
      source.addEventListener('open', () => {
        setOpen(true);
        if (opened) latest.current.onReopen?.();
        opened = true;
      });
      source.addEventListener('error', () => {
        setOpen(false);
        if (source?.readyState === EventSource.CLOSED && !stopped) timer = window.setTimeout(connect, REOPEN_MS);
      });
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      source?.close();
      setOpen(false);
    };
  }, [stream, names]);
  return isOpen;
}
