import { useEffect, useRef } from 'react';

/**
 * Calls `onDone` once the item `key` has been on show, unpaused, for `durationMs` in all.
 * Pausing keeps the time already shown, so resuming only waits for the rest; a new key starts
 * from zero. Uses setTimeout and Date.now, so fake timers drive it in tests.
 */
export function useAutoAdvance(key: string | null, durationMs: number, isPaused: boolean, onDone: () => void): void {
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;
  const shown = useRef<{ key: string | null; ms: number }>({ key: null, ms: 0 });

  useEffect(() => {
    if (shown.current.key !== key) shown.current = { key, ms: 0 };
    if (key === null || isPaused) return;
    const startedAt = Date.now();
    const remaining = Math.max(0, durationMs - shown.current.ms);
    const timer = setTimeout(() => onDoneRef.current(), remaining);
    return () => {
      clearTimeout(timer);
      if (shown.current.key === key) shown.current.ms += Date.now() - startedAt;
    };
  }, [key, durationMs, isPaused]);
}
