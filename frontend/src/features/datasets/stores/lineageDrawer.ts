import { create } from 'zustand';
import type { VersionOption } from '../components/versions';

export interface LineageTarget {
  groupId: string;
  groupName: string;
  versions: VersionOption[];
  /** The version shown; the group's default one (see defaultOption) from the row's action. */
  datasetId: string;
}

interface LineageDrawerState {
  target: LineageTarget | null;
  open: (target: LineageTarget) => void;
  select: (datasetId: string) => void;
  close: () => void;
}

/**
 * Which group's lineage the list's drawer shows. Client-only UI state: each row's action opens
 * the one drawer the page renders, without threading callbacks through the table's columns.
 */
export const useLineageDrawer = create<LineageDrawerState>((set) => ({
  target: null,
  open: (target) => set({ target }),
  select: (datasetId) =>
    set((state) => (state.target ? { target: { ...state.target, datasetId } } : state)),
  close: () => set({ target: null }),
}));
