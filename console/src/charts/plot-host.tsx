/** Mounts an SVG drawn by Observable Plot into the page and replaces it when its inputs change. */
import { useLayoutEffect, useRef } from 'preact/hooks';

/** `draw` gets the width available to the chart. */
export function PlotHost({ draw, deps, label, testId }: { draw: (width: number) => Element; deps: readonly unknown[]; label: string; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const started = performance.now();
    const node = draw(Math.max(480, host.current?.clientWidth ?? 900));
    // The chart is one image with one label (its numbers are in a table beside it): the labels
    // Plot puts on its inner groups would only be noise, and are not allowed on plain groups.
    for (const inner of node.querySelectorAll('[aria-label], [aria-description]')) {
      inner.removeAttribute('aria-label');
      inner.removeAttribute('aria-description');
    }
    node.setAttribute('role', 'img');
    node.setAttribute('aria-label', label);
    host.current?.replaceChildren(node);
    // How long drawing took, for the budgets (bench/console.ts reads these entries).
    performance.measure(`chart: ${label}`, { start: started, end: performance.now() });
    return () => node.remove();
    // `deps` lists what `draw` reads.
  }, deps);
  return <div class="plot-host" ref={host} data-testid={testId} />;
}
