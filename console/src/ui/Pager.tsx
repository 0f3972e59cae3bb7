import type { Dispatch, StateUpdater } from "preact/hooks";

/**
 * Previous / Next over a list the API pages with a cursor. `cursors` holds the cursor of each page
 * seen so far (the first is undefined), so Previous goes back without asking the API for it.
 */
export function Pager(props: {
  label: string;
  cursors: (string | undefined)[];
  setCursors: Dispatch<StateUpdater<(string | undefined)[]>>;
  nextCursor: string | undefined | null;
}) {
  const { label, cursors, setCursors, nextCursor } = props;
  if (cursors.length <= 1 && !nextCursor) {
    return null;
  }
  return (
    <nav aria-label={label} class="pager">
      <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
        Previous page
      </button>
      <span>Page {cursors.length}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}>
        Next page
      </button>
    </nav>
  );
}
