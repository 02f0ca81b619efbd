import { useEffect, useRef } from 'react';

/**
 * An invisible marker at the end of a list that calls `onVisible` as it comes near the
 * viewport (within `margin`), to load the next page. The observer is made again after each
 * page (`itemCount`), so a marker still in view asks once more. Keep a Load more button
 * beside it: it is the way on where there is no IntersectionObserver, and for keyboards.
 */
export function InfiniteScrollTrigger({
  onVisible,
  isLoading,
  itemCount,
  margin = '800px',
  className = 'infinite-scroll-trigger',
}: {
  onVisible: () => void;
  isLoading: boolean;
  itemCount: number;
  margin?: string;
  className?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const onVisibleRef = useRef(onVisible);
  onVisibleRef.current = onVisible;

  useEffect(() => {
    const element = ref.current;
    if (!element || isLoading || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) onVisibleRef.current();
      },
      { rootMargin: `${margin} 0px` },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [isLoading, itemCount, margin]);

  return <div ref={ref} className={className} aria-hidden="true" />;
}
