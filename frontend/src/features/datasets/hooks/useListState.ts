import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { type ListState, parseListState, serializeListState } from './listState';

export type ListStateUpdate = ListState | ((current: ListState) => ListState);

/**
 * The dataset list's state, read from and written to the URL. Filter changes replace the history
 * entry (typing a search should not fill Back with every keystroke); page changes push one.
 * Updates may be functions of the current URL, for callers (a debounced search) whose render-time
 * state may be stale by the time they fire.
 */
export function useListState() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseListState(params), [params]);
  const setState = useCallback(
    (update: ListStateUpdate, options: { push?: boolean } = {}) => {
      setParams(
        (current) =>
          serializeListState(
            typeof update === 'function' ? update(parseListState(current)) : update,
          ),
        { replace: !options.push },
      );
    },
    [setParams],
  );
  return [state, setState] as const;
}
