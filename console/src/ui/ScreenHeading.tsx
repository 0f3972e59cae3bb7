import { useEffect, useRef } from "preact/hooks";

/**
 * A screen's h1. It takes focus when the screen opens (after a route change), so keyboard and
 * screen reader users start at the top of the new screen; it also names the tab.
 */
export function ScreenHeading({ title }: { title: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Tenure console`;
    heading.current?.focus();
  }, [title]);
  return (
    <h1 ref={heading} tabIndex={-1}>
      {title}
    </h1>
  );
}
