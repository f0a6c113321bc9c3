import type { Schemas } from '@/api/client';
import { SPLITS } from '@/lib/enums';

/** A version a lineage or a selector can be about. */
export interface VersionOption {
  id: string;
  split: Schemas['Split'];
  version: Schemas['Version'];
  status: Schemas['DatasetStatus'];
}

function parts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
}

/** Newest first, numerically (`v1.0.10` after `v1.0.9`). */
export function compareVersionsDesc(a: string, b: string): number {
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const diff = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (diff !== 0) {
      return diff;
    }
  }
  return 0;
}

const SPLIT_ORDER = Object.keys(SPLITS) as Schemas['Split'][];

export function compareSplits(a: Schemas['Split'], b: Schemas['Split']): number {
  return SPLIT_ORDER.indexOf(a) - SPLIT_ORDER.indexOf(b);
}

/** Split order (TRAIN, VAL, TEST, NONE), then newest version first. */
export function sortVersionOptions(options: VersionOption[]): VersionOption[] {
  return [...options].sort(
    (a, b) => compareSplits(a.split, b.split) || compareVersionsDesc(a.version, b.version),
  );
}

export function optionsFromSummary(splits: Schemas['SummarySplit'][]): VersionOption[] {
  return sortVersionOptions(
    splits.flatMap((split) =>
      split.versions.map((v) => ({
        id: v.id,
        split: split.split,
        version: v.version,
        status: v.status,
      })),
    ),
  );
}

export function optionsFromDatasets(datasets: Schemas['Dataset'][]): VersionOption[] {
  return sortVersionOptions(
    datasets.map((d) => ({
      id: d.id,
      split: d.split,
      version: d.version,
      status: d.status,
    })),
  );
}

/**
 * The version a lineage opens on when none is chosen: the newest of the first split (train,
 * usually), which is what pipelines most often read from.
 */
export function defaultOption(options: VersionOption[]): VersionOption | undefined {
  return sortVersionOptions(options)[0];
}

export function versionLabel(option: Pick<VersionOption, 'split' | 'version'>): string {
  return `${SPLITS[option.split]} · ${option.version}`;
}
