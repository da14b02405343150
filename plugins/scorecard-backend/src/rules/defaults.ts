import {
  ScorecardLevel,
  ScorecardRule,
} from '@internal/plugin-scorecard-common';

const services = { kind: ['Component'], type: ['service'] };

// The conventions below are the ones the golden paths (templates/http-service,
// templates/background-worker) write into catalog-info.yaml, so a service created from a
// golden path passes every default rule from its first commit.
const goldenPaths =
  'Services created from the HTTP service or Background worker golden paths have it from the start;';

/**
 * The baseline every service needs, used when `scorecard.rules` is not configured.
 *
 * @public
 */
export const DEFAULT_RULES: ScorecardRule[] = [
  {
    id: 'owner-valid',
    title: 'Owned by an existing team',
    description:
      'spec.owner names a Group that exists in the catalog, so someone answers for the service.',
    howToFix: `Set spec.owner in catalog-info.yaml to the team's Group, like payments-team (see catalog/org.yaml); if the team was renamed or merged, move the service to the team that now runs it. ${goldenPaths} the form's Owner picker lists only teams.`,
    appliesTo: services,
    kind: 'relationResolves',
    params: { field: 'spec.owner', targetKind: 'Group' },
  },
  {
    id: 'lifecycle',
    title: 'Lifecycle declared',
    description:
      'spec.lifecycle is experimental, production or deprecated, so readers know what to expect.',
    howToFix: `Set spec.lifecycle in catalog-info.yaml to experimental, production or deprecated. ${goldenPaths} the form asks for it.`,
    appliesTo: services,
    kind: 'specField',
    params: {
      field: 'spec.lifecycle',
      values: ['experimental', 'production', 'deprecated'],
    },
  },
  {
    id: 'system',
    title: 'Part of a system',
    description:
      'spec.system names a System that exists in the catalog, which places the service in a domain.',
    howToFix: `Set spec.system in catalog-info.yaml to an existing System, like payments (see catalog/domains.yaml). ${goldenPaths} the form's System picker lists them.`,
    appliesTo: services,
    kind: 'relationResolves',
    params: { field: 'spec.system', targetKind: 'System' },
  },
  {
    id: 'on-call',
    title: 'On-call rotation',
    description:
      'The pagerduty/service-id annotation names the PagerDuty service paged when this service breaks.',
    howToFix: `Add the annotation pagerduty/service-id to metadata.annotations in catalog-info.yaml: P followed by 5 to 13 capital letters or digits, like PABC123. ${goldenPaths} the form's "PagerDuty service id" field fills it.`,
    appliesTo: services,
    kind: 'annotationMatches',
    params: {
      annotation: 'pagerduty/service-id',
      pattern: '^P[A-Z0-9]{5,13}$',
    },
  },
  {
    id: 'cost-center',
    title: 'Cost center',
    description:
      'The cost-center annotation names the finance cost center that pays for the service.',
    howToFix: `Add the annotation cost-center to metadata.annotations in catalog-info.yaml, like CC-1001 (CC- and four digits). ${goldenPaths} the form's "Cost center" field fills it.`,
    appliesTo: services,
    kind: 'annotationMatches',
    params: { annotation: 'cost-center', pattern: '^CC-[0-9]{4}$' },
  },
  {
    id: 'runbook',
    title: 'Runbook',
    description:
      'A link of type runbook tells the person on call what to do when an alert fires.',
    howToFix: `Write docs/runbook.md in the repository and add it to metadata.links in catalog-info.yaml with type: runbook and title: Runbook. ${goldenPaths} the skeleton's docs/runbook.md is a starting point.`,
    appliesTo: services,
    kind: 'linkPresent',
    params: { type: 'runbook' },
  },
  {
    id: 'slo',
    title: 'Service level objectives',
    description:
      'A link of type slo points at the OpenSLO objectives the alerts are derived from.',
    howToFix: `Define availability and latency SLOs in OpenSLO under slo/ in the repository, with burn-rate alerts in deploy/alerts/, and link slo/ from metadata.links in catalog-info.yaml with type: slo. ${goldenPaths} copy slo/ from the service skeleton.`,
    appliesTo: services,
    kind: 'linkPresent',
    params: { type: 'slo' },
  },
  {
    id: 'github-slug',
    title: 'Source repository',
    description:
      'The github.com/project-slug annotation names the GitHub repository (owner/name) of the service.',
    howToFix: `Add the annotation github.com/project-slug to metadata.annotations in catalog-info.yaml, as <organization>/<repository>, like paved-road-demo/payments-api. ${goldenPaths} the repository is created with it.`,
    appliesTo: services,
    kind: 'annotationMatches',
    params: {
      annotation: 'github.com/project-slug',
      pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$',
    },
  },
  {
    id: 'argocd-app',
    title: 'Deployed by Argo CD',
    description:
      'The argocd/app-name annotation names the Argo CD Application that deploys the service.',
    howToFix: `Deploy through Argo CD with an Application (argocd/app.yaml in the golden-path layout) and add the annotation argocd/app-name with its name to metadata.annotations in catalog-info.yaml. ${goldenPaths} the Application is created with the service.`,
    appliesTo: services,
    kind: 'annotationPresent',
    params: { annotation: 'argocd/app-name' },
  },
];

const bronze = ['owner-valid', 'lifecycle', 'system'];
const silver = [...bronze, 'on-call', 'cost-center', 'runbook'];
const gold = [...silver, 'slo', 'github-slug', 'argocd-app'];

/**
 * The levels used when `scorecard.levels` is not configured, lowest first; each holds the
 * rules of the one below it and more.
 *
 * @public
 */
export const DEFAULT_LEVELS: ScorecardLevel[] = [
  { id: 'bronze', title: 'Bronze', rules: bronze },
  { id: 'silver', title: 'Silver', rules: silver },
  { id: 'gold', title: 'Gold', rules: gold },
];
