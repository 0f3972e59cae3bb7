import type { ComponentChildren } from "preact";

/** A real link (opens in a new tab, copies, works without script) that the app follows without reloading. */
export function Link({
  href,
  navigate,
  current,
  children,
}: {
  href: string;
  navigate: (href: string) => void;
  /** Marks the link to the screen shown now (aria-current="page"). */
  current?: boolean;
  children: ComponentChildren;
}) {
  return (
    <a
      href={href}
      aria-current={current ? "page" : undefined}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
