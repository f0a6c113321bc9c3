import type { WizardDraft } from './draft';

/** Where a JSON path of a 422 points in the wizard. */
export interface ProblemLocation {
  /** `Source 1 (coco TRAIN v1.0.0) › step 2 (filter_keep_by_class) › classes`. */
  label: string;
  /** The wizard step to go to (0 output, 1 sources, 2 post-merge). */
  wizardStep: number;
}

const SEGMENT = /^\.?([A-Za-z_][A-Za-z0-9_]*)|^\[(\d+)\]/;

function segments(path: string): (string | number)[] {
  let rest = path.startsWith('$') ? path.slice(1) : path;
  const parts: (string | number)[] = [];
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) {
      // Free text after the path (`$.post_merge (implicit merge_datasets)`).
      parts.push(rest.trim());
      break;
    }
    parts.push(match[2] !== undefined ? Number(match[2]) : (match[1] as string));
    rest = rest.slice(match[0].length);
  }
  return parts;
}

function stepLabel(position: number, name: string | undefined): string {
  return name ? `step ${position + 1} (${name})` : `step ${position + 1}`;
}

/**
 * A problem's JSON path (`$.sources[0].manipulators[1].params.classes`) in the user's words,
 * naming the source and step the way the wizard shows them. `sourceLabels[i]` describes source i.
 * The engine calls a source's chain `manipulators`; `steps` is accepted too.
 */
export function locateProblem(
  path: string,
  draft: WizardDraft,
  sourceLabels: readonly string[],
): ProblemLocation {
  const parts = segments(path.trim());
  const [head, ...tail] = parts;
  const restLabel = (items: (string | number)[]) =>
    items.map((p) => (typeof p === 'number' ? `[${p + 1}]` : p)).join(' › ');
  if (head === 'output') {
    return { label: ['Output', restLabel(tail)].filter(Boolean).join(' › '), wizardStep: 0 };
  }
  if (head === 'sources') {
    const [index, chainKey, position, ...more] = tail;
    if (typeof index !== 'number') {
      return { label: ['Sources', restLabel(tail)].filter(Boolean).join(' › '), wizardStep: 1 };
    }
    const source = sourceLabels[index] ?? `Source ${index + 1}`;
    if ((chainKey === 'manipulators' || chainKey === 'steps') && typeof position === 'number') {
      const name = draft.sources[index]?.steps[position]?.name;
      const params = more[0] === 'params' ? more.slice(1) : more;
      return {
        label: [source, stepLabel(position, name), restLabel(params)].filter(Boolean).join(' › '),
        wizardStep: 1,
      };
    }
    return {
      label: [
        source,
        restLabel(
          chainKey === undefined
            ? []
            : [chainKey, ...(position === undefined ? [] : [position]), ...more],
        ),
      ]
        .filter(Boolean)
        .join(' › '),
      wizardStep: 1,
    };
  }
  if (head === 'post_merge') {
    const [position, ...more] = tail;
    if (typeof position === 'number') {
      const params = more[0] === 'params' ? more.slice(1) : more;
      return {
        label: [
          'Post-merge',
          stepLabel(position, draft.postMerge[position]?.name),
          restLabel(params),
        ]
          .filter(Boolean)
          .join(' › '),
        wizardStep: 2,
      };
    }
    return { label: ['Post-merge', restLabel(tail)].filter(Boolean).join(' › '), wizardStep: 2 };
  }
  return { label: path === '' || path === '$' ? 'Pipeline' : restLabel(parts), wizardStep: 2 };
}
