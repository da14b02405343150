import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { isServiceUnavailable } from '@internal/paved-road-node';
import { GateResponse } from '@internal/plugin-scorecard-common';
import { ExemptionStore } from '../database/ExemptionStore';
import { ScorecardConfig } from '../rules';
import { CatalogEvaluator } from './CatalogEvaluator';
import { longestRunning } from './exemptions';
import { summarize } from './score';

export interface GateServiceOptions {
  config: ScorecardConfig;
  auth: AuthService;
  exemptions: ExemptionStore;
  evaluator: CatalogEvaluator;
  now: () => Date;
  /** Where a pass given unchecked during an outage is reported. */
  logger?: LoggerService;
}

/** The deploy gate: whether an entity reaches the level deploys require. */
export class GateService {
  private constructor(private readonly deps: GateServiceOptions) {}

  static create(options: GateServiceOptions): GateService {
    return new GateService(options);
  }

  /**
   * Evaluates the entity on the catalog's current data (not the last sweep) with the
   * exemptions running now, and passes when it reaches the gate's level. While that
   * cannot be done (its database or the catalog unreachable) it throws, unless
   * `scorecard.gate.onOutage` is `pass`: then it passes, marked `degraded`.
   */
  async gate(entityRef: string): Promise<GateResponse> {
    try {
      return await this.evaluate(entityRef);
    } catch (error) {
      if (
        this.deps.config.gateOnOutage !== 'pass' ||
        !isServiceUnavailable(error)
      ) {
        throw error;
      }
      const reason =
        'The scorecard could not reach its database or the catalog, so nothing was checked; scorecard.gate.onOutage is pass';
      this.deps.logger?.warn(
        `Deploy gate let ${entityRef} pass unchecked: ${reason} (${error})`,
      );
      return {
        entityRef,
        result: 'pass',
        requiredLevel: this.deps.config.gateLevel,
        violations: [],
        exempted: [],
        evaluatedAt: this.deps.now().toISOString(),
        degraded: { reason },
      };
    }
  }

  private async evaluate(entityRef: string): Promise<GateResponse> {
    const { config, auth, evaluator } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const { score } = await evaluator.evaluateNow(entityRef, credentials);
    const now = this.deps.now();
    const running = await this.deps.exemptions.running(
      now.toISOString(),
      entityRef,
    );
    const { results, level } = summarize(
      entityRef,
      score.results,
      running,
      config.levels,
      now,
    );
    const required =
      config.levels.find(l => l.id === config.gateLevel)?.rules ?? [];
    const rules = new Map(config.rules.map(rule => [rule.id, rule]));
    const violations = results
      .filter(r => r.outcome === 'fail' && required.includes(r.ruleId))
      .map(r => ({
        ruleId: r.ruleId,
        title: rules.get(r.ruleId)?.title ?? r.ruleId,
        message: r.message,
        howToFix: rules.get(r.ruleId)?.howToFix ?? '',
      }));
    const exempted = results
      .filter(r => r.outcome === 'exempt')
      .flatMap(r => {
        const exemption = longestRunning(running, r.ruleId);
        return exemption
          ? [
              {
                ruleId: r.ruleId,
                exemptionId: exemption.id,
                expiresAt: exemption.expiresAt,
              },
            ]
          : [];
      });
    return {
      entityRef,
      result: violations.length === 0 ? 'pass' : 'fail',
      requiredLevel: config.gateLevel,
      ...(level && { level }),
      violations,
      exempted,
      evaluatedAt: now.toISOString(),
    };
  }
}
