import type { Schemas } from '@/api/client';
import { type DraftStep, newStepKey } from './draft';
import { defaultParams } from './schemaForm';

/** A new step of `manipulator` with its schema's defaults. */
export function stepOf(manipulator: Schemas['Manipulator']): DraftStep {
  return {
    key: newStepKey(),
    name: manipulator.name,
    params: defaultParams(manipulator.params_schema),
  };
}
