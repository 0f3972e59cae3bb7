import type { ApiProblem } from "../api/problem.js";
import { LoadError, Loading } from "./states.js";

/** While the console asks how to sign in. */
export function Starting() {
  return (
    <main id="main" class="narrow">
      <h1>Tenure console</h1>
      <Loading what="the console" />
    </main>
  );
}

/** `GET /console-config` failed: nothing can be shown before it answers. */
export function StartFailed({ problem, onRetry }: { problem: ApiProblem; onRetry: () => void }) {
  return (
    <main id="main" class="narrow">
      <h1>Tenure console</h1>
      <LoadError what="how to sign in" problem={problem} onRetry={onRetry} />
    </main>
  );
}
