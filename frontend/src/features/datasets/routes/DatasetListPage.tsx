import { PlusOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useCallback, useEffect, useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { EmptyState } from '@/components/EmptyState';
import { ErrorResult } from '@/components/ErrorResult';
import { PageHeader } from '@/components/PageHeader';
import { useGroups } from '../api/listGroups';
import { FilterBar } from '../components/FilterBar';
import { GroupTable } from '../components/GroupTable';
import { LineageDrawer } from '../components/LineageDrawer';
import {
  type FilterPatch,
  type ListSort,
  hasFilters,
  toGroupListQuery,
  withFilters,
  withoutFilters,
} from '../hooks/listState';
import { useListState } from '../hooks/useListState';
import { useLineageDrawer } from '../stores/lineageDrawer';

export function DatasetListPage() {
  const navigate = useNavigate();
  const [state, setState] = useListState();
  const query = useMemo(() => toGroupListQuery(state), [state]);
  const groups = useGroups(query);
  const closeLineage = useLineageDrawer((s) => s.close);

  // The drawer belongs to this page: leaving it (a node's link, the menu) must not leave it open
  // for the next visit.
  useEffect(() => closeLineage, [closeLineage]);

  const onFilter = useCallback(
    (patch: FilterPatch) => setState((current) => withFilters(current, patch)),
    [setState],
  );
  const onSearch = useCallback((q: string) => onFilter({ q }), [onFilter]);
  const onSort = useCallback(
    (sort: ListSort) => setState((current) => ({ ...current, sort, page: 1 })),
    [setState],
  );
  const onReset = useCallback(() => setState((current) => withoutFilters(current)), [setState]);

  const filtered = hasFilters(state);
  const data = groups.data;
  const items = data?.items ?? [];
  const total = data?.total ?? 0;

  // A page past the end (a shared link, rows deleted since): go to the last page there is.
  useEffect(() => {
    if (data && data.items.length === 0 && data.total > 0 && state.page > 1) {
      const last = Math.max(1, Math.ceil(data.total / state.pageSize));
      setState((current) => ({ ...current, page: last }));
    }
  }, [data, state.page, state.pageSize, setState]);

  const register = (
    <Button
      type="primary"
      icon={<PlusOutlined aria-hidden />}
      onClick={() => navigate('/datasets/new')}
    >
      Register dataset
    </Button>
  );

  const empty = filtered ? (
    <EmptyState
      title="No dataset matches these filters"
      hint="Loosen the filters or clear them to see every dataset group."
      action={<Button onClick={onReset}>Reset filters</Button>}
    />
  ) : (
    <EmptyState
      title="No datasets registered yet"
      hint="Register your first dataset: point Datamill at a folder on the NAS, validate it, and it appears here."
      action={
        <Button type="primary" onClick={() => navigate('/datasets/new')}>
          Register your first dataset
        </Button>
      }
    />
  );

  return (
    <>
      <PageHeader
        title="Datasets"
        subtitle={
          data
            ? `${total} dataset group${total === 1 ? '' : 's'}${filtered ? ' match the filters' : ''}`
            : 'Dataset groups and their split × version matrices'
        }
        extra={register}
      />
      <FilterBar
        state={state}
        onFilter={onFilter}
        onSearch={onSearch}
        onSort={onSort}
        onReset={onReset}
        // The empty state offers its own reset; one "Reset filters" on screen at a time.
        showReset={!(data && items.length === 0)}
      />
      {groups.isError && !data ? (
        <ErrorResult error={groups.error} onRetry={() => void groups.refetch()} />
      ) : (
        <GroupTable
          groups={items}
          total={total}
          loading={groups.isPending}
          fetching={groups.isFetching}
          sort={state.sort}
          onSortChange={onSort}
          page={state.page}
          pageSize={state.pageSize}
          onPageChange={(page, pageSize) =>
            setState(
              (current) => ({
                ...current,
                page: pageSize === current.pageSize ? page : 1,
                pageSize,
              }),
              { push: true },
            )
          }
          empty={empty}
        />
      )}
      <LineageDrawer />
    </>
  );
}
