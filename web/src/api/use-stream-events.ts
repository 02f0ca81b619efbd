import { useEffect, useRef } from 'react';

/**
 * Listens to one of the Mastodon streams of the signed-in viewer (server-sent events on the
 * session cookie, same origin only): `onEvent` gets each event named in `events` with its
 * payload, and `onOpen` each time the stream (re)connects, when missed events can be fetched.
 * EventSource reconnects by itself; where the browser has none, nothing is opened.
 */
export function useStreamEvents(stream: string, events: readonly string[], handlers: { onEvent: (event: string, payload: string) => void; onOpen?: () => void }): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  const names = events.join(',');
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/streaming/${stream}`);
    const onMessage = (event: MessageEvent<string>) => latest.current.onEvent(event.type, event.data);
    const onOpen = () => latest.current.onOpen?.();
    for (const name of names.split(',')) source.addEventListener(name, onMessage);
    source.addEventListener('open', onOpen);
    return () => source.close();
  }, [stream, names]);
}
