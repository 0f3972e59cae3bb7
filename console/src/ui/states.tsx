import type { ApiProblem } from "../api/problem.js";

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function LoadError({ what, problem, onRetry }: { what: string; problem: ApiProblem; onRetry: () => void }) {
  return (
    <div class="load-error" role="alert">
      <p>
        Could not load {what}: {problem.detail || problem.title}
        {problem.requestId ? ` (request id ${problem.requestId})` : ""}
      </p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
