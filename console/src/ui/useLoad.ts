import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { Result } from "../api/client.js";
import type { ApiProblem } from "../api/problem.js";

export type Load<T> = { state: "loading" } | { state: "error"; problem: ApiProblem } | { state: "ready"; data: T };

/**
 * Loads once per change of `key`, and again on `reload()`; an answer to an older request is dropped.
 * A reload keeps showing what was loaded until the new answer replaces it, so a list does not flash
 * "Loading" (and jump, and be announced again) after every Resend or Revoke.
 */
export function useLoad<T>(load: () => Promise<Result<T>>, key: string): [Load<T>, () => void] {
  const [value, setValue] = useState<Load<T>>({ state: "loading" });
  const [round, setRound] = useState(0);
  const loadedKey = useRef<string | null>(null);
  useEffect(() => {
    let current = true;
    if (loadedKey.current !== key) setValue({ state: "loading" });
    loadedKey.current = key;
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
