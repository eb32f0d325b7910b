import { useEffect, useRef, useState } from "preact/hooks";

export interface Polled<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  /** Epoch ms of the last good answer. */
  readonly updatedAt: number | undefined;
}

/** Calls `load` now and every `intervalMs` while `live`, and again whenever `key` changes. */
export function usePolling<T>(load: () => Promise<T>, intervalMs: number, live: boolean, key = ""): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: undefined, error: undefined, updatedAt: undefined });
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const data = await loader.current();
        if (!stopped) setState({ data, error: undefined, updatedAt: Date.now() });
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, error: error instanceof Error ? error.message : String(error) }));
      }
      if (!stopped && live) timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [intervalMs, live, key]);
  return state;
}
