import { create } from 'zustand';
import {
  type DraftOutput,
  type DraftSource,
  type DraftStep,
  EMPTY_DRAFT,
  type WizardDraft,
  move,
} from '../utils/draft';

/**
 * The wizard's draft: client-only until it is submitted, and kept while the user leaves the page
 * (to look at a dataset, say) so nothing typed is lost. Reset on submit or "Start over".
 */
interface WizardState extends WizardDraft {
  current: number;
  /** List incompatible datasets too in step 2. */
  showAllSources: boolean;
  /** The `?source_group=` last applied, so a reload does not re-apply it over the user's edits. */
  prefilledFrom: string | null;

  setCurrent: (step: number) => void;
  setOutput: (patch: Partial<DraftOutput>) => void;
  setShowAllSources: (show: boolean) => void;
  /** Adds a source (with the steps it starts with) or removes it when it is selected. */
  toggleSource: (datasetId: string, initialSteps?: DraftStep[]) => void;
  removeSource: (index: number) => void;
  moveSource: (index: number, delta: number) => void;
  setSourceSteps: (index: number, steps: DraftStep[]) => void;
  setPostMerge: (steps: DraftStep[]) => void;
  /** Starts a fresh draft from a preselection (`?source_group=`). */
  prefill: (groupId: string, output: Partial<DraftOutput>, sources: DraftSource[]) => void;
  reset: () => void;
}

const initial = {
  ...EMPTY_DRAFT,
  current: 0,
  showAllSources: false,
  prefilledFrom: null,
};

export const useWizardStore = create<WizardState>()((set) => ({
  ...initial,
  setCurrent: (current) => set({ current }),
  setOutput: (patch) => set((state) => ({ output: { ...state.output, ...patch } })),
  setShowAllSources: (showAllSources) => set({ showAllSources }),
  toggleSource: (datasetId, initialSteps = []) =>
    set((state) =>
      state.sources.some((s) => s.datasetId === datasetId)
        ? { sources: state.sources.filter((s) => s.datasetId !== datasetId) }
        : { sources: [...state.sources, { datasetId, steps: initialSteps }] },
    ),
  removeSource: (index) =>
    set((state) => ({ sources: state.sources.filter((_, i) => i !== index) })),
  moveSource: (index, delta) => set((state) => ({ sources: move(state.sources, index, delta) })),
  setSourceSteps: (index, steps) =>
    set((state) => ({
      sources: state.sources.map((s, i) => (i === index ? { ...s, steps } : s)),
    })),
  setPostMerge: (postMerge) => set({ postMerge }),
  prefill: (groupId, output, sources) =>
    set({
      ...initial,
      output: { ...EMPTY_DRAFT.output, ...output },
      sources,
      prefilledFrom: groupId,
    }),
  reset: () => set(initial),
}));

/** The draft part of the state (what the config is built from). */
export function selectDraft(state: WizardState): WizardDraft {
  return { output: state.output, sources: state.sources, postMerge: state.postMerge };
}
