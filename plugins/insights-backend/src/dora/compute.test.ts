import {
  changeFailureRateBand,
  deploymentFrequencyBand,
  timeToRestoreBand,
} from './bands';
import { computeDora } from './compute';
import {
  classifyFailures,
  deduplicate,
  defaultDoraWindows,
  DeploymentFact,
  IncidentFact,
  RevertFact,
} from './deployments';

// Thursday of ISO week 2026-W48; W47 starts Monday 2026-11-16.
const now = new Date('2026-11-26T15:00:00Z');
const payments = 'group:default/payments-team';
const risk = 'group:default/risk-team';
const services = [
  { name: 'alpha', team: payments },
  { name: 'gamma', team: risk },
];

const A = 'aaaaaaa1111111111111111111111111111111111';
const deploy = (
  source: string,
  service: string,
  commit: string,
  deployedAt: string,
  status: DeploymentFact['status'] = 'success',
): DeploymentFact => ({ source, service, commit, deployedAt, status });

const deployments: DeploymentFact[] = [
  // One deployment reported twice: GitHub with the short SHA, Argo CD 20 minutes later.
  deploy('github', 'alpha', 'aaaaaaa', '2026-11-16T10:00:00Z'),
  deploy('argocd', 'alpha', A, '2026-11-16T10:20:00Z'),
  // Rolled back two hours later: Argo CD puts aaaaaaa back (25 h after the first,
  // so a deployment of its own, not a duplicate).
  deploy('github', 'alpha', 'bbbbbbb', '2026-11-17T09:00:00Z'),
  deploy('argocd', 'alpha', A, '2026-11-17T11:00:00Z'),
  deploy('github', 'alpha', 'ccccccc', '2026-11-18T09:00:00Z', 'failure'),
  // The incident 48 h later is outside the 24 h window: not a failed deployment.
  deploy('portal-gate', 'alpha', 'ddddddd', '2026-11-19T09:00:00Z'),
  // Reverted two hours later.
  deploy('github', 'gamma', 'eeeeeee', '2026-11-20T10:00:00Z'),
  // An incident an hour later, blamed on this one (the latest before it).
  deploy('github', 'gamma', 'fffffff', '2026-11-20T13:00:00Z'),
];

const incidents: IncidentFact[] = [
  {
    id: 'P1',
    service: 'alpha',
    triggeredAt: '2026-11-21T09:00:00Z',
    resolvedAt: '2026-11-21T11:00:00Z', // 2 h
  },
  {
    id: 'P2',
    service: 'gamma',
    triggeredAt: '2026-11-20T14:00:00Z',
    resolvedAt: '2026-11-20T14:30:00Z', // 0.5 h
  },
  {
    id: 'P3',
    service: 'alpha',
    triggeredAt: '2026-11-23T08:00:00Z',
    resolvedAt: '2026-11-24T10:00:00Z', // 26 h, resolved in W48
  },
  { id: 'P4', service: 'gamma', triggeredAt: '2026-11-25T08:00:00Z' }, // open
];

const reverts: RevertFact[] = [
  { service: 'gamma', revertedCommit: 'eeeeeee', at: '2026-11-20T12:00:00Z' },
];

const input = {
  now,
  weeks: 2,
  services,
  deployments,
  incidents,
  reverts,
  windows: defaultDoraWindows,
};

describe('deduplicate', () => {
  it('counts one commit reported by two sources within the window once, failed if either says so', () => {
    const result = deduplicate(
      [
        deploy('github', 'alpha', 'aaaaaaa', '2026-11-16T10:00:00Z'),
        deploy('argocd', 'alpha', A, '2026-11-16T10:59:00Z', 'error'),
        deploy('argocd', 'alpha', A, '2026-11-16T11:01:00Z'),
        deploy('argocd', 'beta', A, '2026-11-16T10:00:00Z'),
      ],
      defaultDoraWindows,
    );
    expect(result).toEqual([
      {
        service: 'alpha',
        commit: A,
        deployedAt: '2026-11-16T10:00:00.000Z',
        deployedAtMs: Date.parse('2026-11-16T10:00:00Z'),
        sources: ['github', 'argocd'],
        failures: ['status'],
      },
      expect.objectContaining({ service: 'beta', sources: ['argocd'] }),
      // 61 minutes after the first report: a deployment of its own.
      expect.objectContaining({
        service: 'alpha',
        deployedAt: '2026-11-16T11:01:00.000Z',
        failures: [],
      }),
    ]);
  });
});

describe('classifyFailures', () => {
  it('names why each deployment failed', () => {
    const result = classifyFailures(
      deduplicate(deployments, defaultDoraWindows),
      incidents,
      reverts,
      defaultDoraWindows,
    );
    expect(
      result.map(d => [d.service, d.commit.slice(0, 7), d.failures]),
    ).toEqual([
      ['alpha', 'aaaaaaa', []],
      ['alpha', 'bbbbbbb', ['rolled-back']],
      ['alpha', 'aaaaaaa', []],
      ['alpha', 'ccccccc', ['status']],
      ['alpha', 'ddddddd', []],
      ['gamma', 'eeeeeee', ['reverted']],
      ['gamma', 'fffffff', ['incident']],
    ]);
  });

  it('does not call a redeploy a rollback when it comes after the window', () => {
    const result = classifyFailures(
      deduplicate(
        [
          deploy('argocd', 'alpha', 'aaaaaaa', '2026-11-16T10:00:00Z'),
          deploy('argocd', 'alpha', 'bbbbbbb', '2026-11-17T10:00:00Z'),
          deploy('argocd', 'alpha', 'aaaaaaa', '2026-11-18T10:00:01Z'),
        ],
        defaultDoraWindows,
      ),
      [],
      [],
      defaultDoraWindows,
    );
    expect(result.map(d => d.failures)).toEqual([[], [], []]);
  });
});

describe('computeDora', () => {
  it('gives the three keys per week for everyone, with the change from the week before', () => {
    const [w47, w48] = computeDora(input);
    expect(w47).toEqual({
      week: '2026-W47',
      start: '2026-11-16',
      // W46 had none: 0 before, not absent.
      deployments: { value: 7, previous: 0, delta: 7, count: 7 },
      // bbbbbbb, ccccccc, eeeeeee and fffffff failed.
      changeFailureRate: { value: 4 / 7, count: 7 },
      // p50 (nearest rank) of 0.5 h and 2 h.
      timeToRestoreHours: { value: 0.5, count: 2 },
      bands: {
        // 7 deployments over the four weeks W44..W47: 1.75 a week.
        deploymentFrequency: 'high',
        changeFailureRate: 'low',
        timeToRestore: 'elite',
      },
    });
    // A week with no deployment: 0 deployments, no failure rate, the band still high
    // from the four weeks W45..W48; P3 took 26 h; P4 is still open.
    expect(w48).toEqual({
      week: '2026-W48',
      start: '2026-11-23',
      deployments: { value: 0, previous: 7, delta: -7, count: 0 },
      changeFailureRate: { previous: 4 / 7, count: 0 },
      timeToRestoreHours: { value: 26, previous: 0.5, delta: 25.5, count: 1 },
      bands: { deploymentFrequency: 'high', timeToRestore: 'medium' },
    });
  });

  it('keeps to one team, and to one service for its card', () => {
    const [w47] = computeDora({ ...input, team: payments });
    expect(w47.deployments.value).toBe(5);
    expect(w47.changeFailureRate.value).toBe(2 / 5);
    expect(w47.timeToRestoreHours).toEqual({ value: 2, count: 1 });
    expect(w47.bands.timeToRestore).toBe('high');

    const [gamma47, gamma48] = computeDora({ ...input, service: 'gamma' });
    expect(gamma47.changeFailureRate).toEqual({ value: 1, count: 2 });
    expect(gamma48.timeToRestoreHours).toEqual({ previous: 0.5, count: 0 });
    // 2 deployments in four weeks: half a week, between weekly and monthly.
    expect(gamma48.bands.deploymentFrequency).toBe('medium');
  });

  it('widens the incident window from config', () => {
    const [w47] = computeDora({
      ...input,
      team: payments,
      windows: { ...defaultDoraWindows, failureHours: 48 },
    });
    // P1, 48 h after ddddddd, now fails it too.
    expect(w47.changeFailureRate.value).toBe(3 / 5);
  });
});

describe('bands (Accelerate State of DevOps 2023)', () => {
  it('puts each boundary in the better band', () => {
    expect([7, 6.9, 1, 0.25, 0.24].map(deploymentFrequencyBand)).toEqual([
      'elite',
      'high',
      'high',
      'medium',
      'low',
    ]);
    expect([0, 0.05, 0.1, 0.15, 0.16].map(changeFailureRateBand)).toEqual([
      'elite',
      'elite',
      'high',
      'medium',
      'low',
    ]);
    expect([0.99, 1, 23.9, 24, 167, 168].map(timeToRestoreBand)).toEqual([
      'elite',
      'high',
      'high',
      'medium',
      'medium',
      'low',
    ]);
  });
});
