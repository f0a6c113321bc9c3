import { Alert, Button } from 'antd';
import { ApiError } from '@/api/client';
import { problemText } from '@/api/problem';
import type { WizardDraft } from '../utils/draft';
import { locateProblem } from '../utils/problemPaths';
import { problemListStyle } from './styles';

/**
 * A failed preview or submission: each problem of the 422 under the wizard place its JSON path
 * names, with a way back to that step.
 */
export function ProblemList({
  error,
  draft,
  sourceLabels,
  onGoToStep,
  title,
}: {
  error: unknown;
  draft: WizardDraft;
  sourceLabels: readonly string[];
  onGoToStep: (step: number) => void;
  title: string;
}) {
  const { title: problemTitle, detail } = problemText(error);
  const problems = error instanceof ApiError ? (error.problem?.errors ?? []) : [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid="pipeline-problems"
      message={`${title}: ${problems.length > 0 ? detail : problemTitle}`}
      description={
        problems.length > 0 ? (
          <ul style={problemListStyle}>
            {problems.map((problem, index) => {
              const where = locateProblem(problem.field, draft, sourceLabels);
              return (
                <li key={index}>
                  <strong>{where.label}</strong>: {problem.message}{' '}
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0 }}
                    onClick={() => onGoToStep(where.wizardStep)}
                  >
                    Go to step
                  </Button>
                </li>
              );
            })}
          </ul>
        ) : (
          detail
        )
      }
    />
  );
}
