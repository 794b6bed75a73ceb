/** Mounts an SVG drawn by Observable Plot into the page and replaces it when its inputs change. */
import { useLayoutEffect, useRef } from 'preact/hooks';

export function PlotHost({ draw, deps, label, testId }: { draw: () => Element; deps: readonly unknown[]; label: string; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const node = draw();
    node.setAttribute('role', 'img');
    node.setAttribute('aria-label', label);
    host.current?.replaceChildren(node);
    return () => node.remove();
    // `deps` lists what `draw` reads.
  }, deps);
  return <div class="plot-host" ref={host} data-testid={testId} />;
}
