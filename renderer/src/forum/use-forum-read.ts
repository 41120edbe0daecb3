// Loads something from the forum for a view: again when the key, the forum account or
// governance (the circle's category) changes. Failures are kept for the view to show.
import { useEffect, useRef, useState } from 'react';
import { usePlenary } from '../store';
import { toErrorData } from '../store/app-slice';
import type { PlenaryErrorData } from '../../../shared/errors';
import { useForum } from './forum-store';

export function useForumRead<T>(load: () => Promise<T>, key: string): { data: T | null; error: PlenaryErrorData | null; reload(): void } {
  const governance = usePlenary((s) => s.governanceRevision);
  const account = useForum((s) => `${s.status?.account?.site ?? ''}/${s.status?.expired ?? ''}`);
  const [state, setState] = useState<{ key: string; data: T | null; error: PlenaryErrorData | null }>({ key: '', data: null, error: null });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const latest = useRef(0);
  useEffect(() => {
    const ticket = ++latest.current;
    loadRef.current().then(
      (data) => ticket === latest.current && setState({ key, data, error: null }),
      (error: unknown) => ticket === latest.current && setState({ key, data: null, error: toErrorData(error) }),
    );
  }, [key, governance, account, tick]);
  const current = state.key === key ? state : { data: null, error: null };
  return { data: current.data, error: current.error, reload: () => setTick((n) => n + 1) };
}
