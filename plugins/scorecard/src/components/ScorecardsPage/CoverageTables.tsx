import { Link, Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  entityRouteRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import {
  GroupCoverage,
  RuleCoverage,
  ScorecardLevel,
} from '@internal/plugin-scorecard-common';
import { NAME_COLUMN, SHORT_COLUMN } from '../shared/columns';
import { formatPercent } from '../shared/format';

const TABLE_OPTIONS = {
  paging: false,
  search: false,
  padding: 'dense' as const,
  draggable: false,
};

/** A count or a share: on one line, heading included. */
const number = {
  type: 'numeric' as const,
  cellStyle: SHORT_COLUMN,
  headerStyle: SHORT_COLUMN,
};

/** A rule, team or system: broken between words only. */
const name = { highlight: true, cellStyle: NAME_COLUMN };

const coverageColumn = {
  ...number,
  title: 'Coverage',
  field: 'coverage',
  defaultSort: 'asc' as const,
  render: (row: { coverage: number }) => formatPercent(row.coverage),
};

/** Coverage of each rule across the catalog, worst first. */
export function RuleCoverageTable(props: { rules: RuleCoverage[] }) {
  const columns: TableColumn<RuleCoverage>[] = [
    { ...name, title: 'Rule', field: 'title' },
    { ...number, title: 'Applies to', field: 'applicable' },
    { ...number, title: 'Passed', field: 'passed' },
    { ...number, title: 'Exempt', field: 'exempt' },
    { ...number, title: 'Failed', field: 'failed' },
    coverageColumn,
  ];
  return (
    <section aria-label="Coverage per rule">
      <Table<RuleCoverage>
        title="Coverage per rule"
        options={TABLE_OPTIONS}
        columns={columns}
        data={props.rules.map(rule => ({ ...rule }))}
      />
    </section>
  );
}

function GroupRef(props: { entityRef: string; defaultKind: string }) {
  const entityRoute = useRouteRef(entityRouteRef);
  const { entityRef, defaultKind } = props;
  if (entityRef === 'unknown') {
    return <>Not set</>;
  }
  let ref;
  try {
    ref = parseEntityRef(entityRef, { defaultKind });
  } catch {
    return <>{entityRef}</>;
  }
  const title = humanizeEntityRef(ref, { defaultKind });
  if (!entityRoute) {
    return <>{title}</>;
  }
  return (
    <Link
      to={entityRoute({
        kind: ref.kind.toLocaleLowerCase('en-US'),
        namespace: ref.namespace,
        name: ref.name,
      })}
    >
      {title}
    </Link>
  );
}

/**
 * Coverage per owner or per system, worst first, with how many of its entities sit at
 * each level.
 */
export function GroupCoverageTable(props: {
  title: string;
  groupTitle: string;
  defaultKind: string;
  groups: GroupCoverage[];
  levels: ScorecardLevel[];
}) {
  const { title, groupTitle, defaultKind, groups, levels } = props;
  const columns: TableColumn<GroupCoverage>[] = [
    {
      ...name,
      title: groupTitle,
      field: 'ref',
      render: row => <GroupRef entityRef={row.ref} defaultKind={defaultKind} />,
    },
    { ...number, title: 'Entities', field: 'entities' },
    coverageColumn,
    ...[...levels].reverse().map(
      (level): TableColumn<GroupCoverage> => ({
        ...number,
        title: level.title,
        customSort: (a, b) =>
          (a.levels[level.id] ?? 0) - (b.levels[level.id] ?? 0),
        render: row => row.levels[level.id] ?? 0,
      }),
    ),
    { ...number, title: 'No level', field: 'unranked' },
  ];
  return (
    <section aria-label={title}>
      <Table<GroupCoverage>
        title={title}
        options={TABLE_OPTIONS}
        columns={columns}
        data={groups.map(group => ({ ...group }))}
      />
    </section>
  );
}
