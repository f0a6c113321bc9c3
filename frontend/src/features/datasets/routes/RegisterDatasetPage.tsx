import { useSearchParams } from 'react-router-dom';
import { PageHeader } from '@/components/PageHeader';
import { RegisterDatasetForm } from '../components/RegisterDatasetForm';

export function RegisterDatasetPage() {
  const [params] = useSearchParams();
  const group = params.get('group') ?? undefined;
  return (
    <>
      <PageHeader
        title="Register dataset"
        subtitle="Add a folder already on the NAS as a new dataset version: validate it, then register it."
      />
      {/* Keyed by the group so that following another "Register new version" link starts afresh. */}
      <RegisterDatasetForm key={group ?? ''} initialGroupId={group} />
    </>
  );
}
