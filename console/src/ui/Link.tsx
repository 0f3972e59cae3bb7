import type { ComponentChildren } from "preact";

/** A real link (opens in a new tab, copies, works without script) that the app follows without reloading. */
export function Link({ href, navigate, children }: { href: string; navigate: (href: string) => void; children: ComponentChildren }) {
  return (
    <a
      href={href}
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
