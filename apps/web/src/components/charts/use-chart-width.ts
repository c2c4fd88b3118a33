'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * The drawn width of a chart in CSS pixels, so the SVG's coordinate system matches the screen and
 * its 11px axis labels stay 11px: a fixed viewBox shrank them to ~5px on a phone and blew them up
 * to ~17px across a wide panel. Starts at `fallback` (also the server render) and follows resizes.
 */
export function useChartWidth<Element extends HTMLElement | SVGElement>(fallback: number) {
  const ref = useRef<Element>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const measured = Math.round(element.getBoundingClientRect().width);
      // Never narrower than the axis labels need; a hidden chart (width 0) keeps the last width.
      if (measured > 0) setWidth(Math.max(240, measured));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}
