import { useCallback, useEffect, useState } from "preact/hooks";
import type { Result } from "../api/client.js";
import type { ApiProblem } from "../api/problem.js";

export type Load<T> = { state: "loading" } | { state: "error"; problem: ApiProblem } | { state: "ready"; data: T };

/** Loads once per change of `key`, and again on `reload()`; an answer to an older request is dropped. */
export function useLoad<T>(load: () => Promise<Result<T>>, key: string): [Load<T>, () => void] {
  const [value, setValue] = useState<Load<T>>({ state: "loading" });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setValue({ state: "loading" });
    load().then((result) => {
      if (!current) return;
      setValue(result.ok ? { state: "ready", data: result.data } : { state: "error", problem: result.problem });
    });
    return () => {
      current = false;
    };
    // load is a new closure on each render; key says when it means another request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return [value, reload];
}
