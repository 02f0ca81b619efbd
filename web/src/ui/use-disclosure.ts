import { useCallback, useEffect, useId, useRef, useState } from 'react';

export interface DisclosureOptions {
  /** What gets focus when the panel opens: its first button unless said. */
  focusSelector?: string;
  /** While true (a dialog of the menu is open), Escape and clicks outside are the dialog's. */
  paused?: boolean;
  /** Runs whenever the panel closes, to reset what the menu showed (a confirmation step). */
  onClose?: () => void;
}

/**
 * A button that opens a panel (the "…" menus, Share): open and close, the first item
 * focused on open, closed by Escape (focus back on the button) or a click outside.
 */
export function useDisclosure(options: DisclosureOptions = {}) {
  const [isOpen, setOpen] = useState(false);
  const panelId = useId();
  const wrapRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const latest = useRef(options);
  latest.current = options;

  const close = useCallback((refocus = true) => {
    setOpen(false);
    latest.current.onClose?.();
    if (refocus) triggerRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!isOpen || options.paused) return;
    panelRef.current?.querySelector<HTMLElement>(latest.current.focusSelector ?? 'button')?.focus();
    const onPointer = (event: MouseEvent) => {
      if (wrapRef.current && !wrapRef.current.contains(event.target as Node)) close(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen, options.paused, close]);

  const toggle = useCallback(() => (isOpen ? close(false) : setOpen(true)), [isOpen, close]);
  return { isOpen, close, toggle, panelId, wrapRef, triggerRef, panelRef };
}
