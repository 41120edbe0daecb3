// Loading governance data in views, and running a change with its error kept for the form
// that made it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { watchGovernance } from '../store/governance-watch';
import { api } from '../api/client';
import { toErrorData } from '../store/app-slice';
import type { PlenaryErrorData } from '../../../shared/errors';
import type { CallInput } from '../../../shared/contract/define';
import type { Contract } from '../../../shared/contract';

export interface Query<T> {
  data: T | null;
  error: PlenaryErrorData | null;
}

/**
 * Loads with `load` now, whenever `key` changes, and whenever governance changes in the core:
 * any change, or, when the query reads one circle only (`circle`), a change in that circle
 * (or one that touches everything). The reload starts from the core's event itself (see
 * store/governance-watch.ts). A newer load always wins over an older one still in flight.
 */
export function useGovernanceQuery<T>(load: () => Promise<T>, key: string, circle?: string): Query<T> {
  const [state, setState] = useState<Query<T> & { key: string | null }>({ key: null, data: null, error: null });
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const keyRef = useRef(key);
  keyRef.current = key;
  const run = useCallback(() => {
    const ticket = ++latest.current;
    const loading = keyRef.current;
    loadRef.current().then(
      (data) => ticket === latest.current && setState({ key: loading, data, error: null }),
      (error: unknown) => ticket === latest.current && setState((s) => ({ key: loading, data: s.key === loading ? s.data : null, error: toErrorData(error) })),
    );
  }, []);
  useEffect(() => run(), [key, run]);
  useEffect(() => watchGovernance({ circle, reload: run }), [circle, run]);
  // Nothing stale from another key is shown while the new one loads.
  return state.key === key ? { data: state.data, error: state.error } : { data: null, error: null };
}

export interface Action {
  busy: boolean;
  error: PlenaryErrorData | null;
  /** Runs `work`; on failure keeps the error for the form and resolves to null. */
  run<T>(work: () => Promise<T>): Promise<T | null>;
  clear(): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<PlenaryErrorData | null>(null);
  const run = useCallback(async <T,>(work: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (caught) {
      setError(toErrorData(caught));
      return null;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: useCallback(() => setError(null), []) };
}

export type ApplyInput = CallInput<Contract['governance']['apply']>;

/** Makes one governance change. */
export function applyChange(input: ApplyInput) {
  return api().governance.apply(input);
}
