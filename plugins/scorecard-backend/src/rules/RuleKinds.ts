import { ConflictError } from '@backstage/errors';
import { RuleResult, ScorecardRule } from '@internal/plugin-scorecard-common';
import { ScorecardRuleKind } from '@internal/plugin-scorecard-node';
import { builtInRuleKinds } from './builtInKinds';

// Kinds and types are ASCII, where toLowerCase is exact and fast.
const lower = (s: string) => s.toLowerCase();

/** What evaluating a rule needs beyond its config, worked out once per rule object. */
export interface PreparedRule {
  kind: ScorecardRuleKind;
  kinds?: Set<string>;
  types?: Set<string>;
  fixSuffix: string;
  /** Results are never mutated, so passing entities share this one. */
  pass: RuleResult;
}

/**
 * The rule kinds in force: the built-in ones and those backend modules contributed,
 * by id, in the order they were added.
 *
 * @public
 */
export class RuleKinds {
  private readonly prepared = new WeakMap<ScorecardRule, PreparedRule>();

  private constructor(
    private readonly byId: ReadonlyMap<string, ScorecardRuleKind>,
  ) {}

  /** Throws when two kinds share an id: which one a rule meant would be a guess. */
  static create(kinds: Iterable<ScorecardRuleKind>): RuleKinds {
    const byId = new Map<string, ScorecardRuleKind>();
    for (const kind of kinds) {
      if (byId.has(kind.id)) {
        throw new ConflictError(
          `Scorecard rule kind '${kind.id}' is added twice; each kind needs its own id`,
        );
      }
      byId.set(kind.id, kind);
    }
    return new RuleKinds(byId);
  }

  private static builtInKinds?: RuleKinds;

  /** Only the kinds the scorecard provides itself. */
  static builtIn(): RuleKinds {
    RuleKinds.builtInKinds ??= RuleKinds.create(builtInRuleKinds);
    return RuleKinds.builtInKinds;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  get(id: string): ScorecardRuleKind | undefined {
    return this.byId.get(id);
  }

  /**
   * The rule's kind, its `appliesTo` as sets and its shared pass result. Throws for a
   * kind not in force: config reading refuses such rules before anything evaluates them.
   */
  prepare(rule: ScorecardRule): PreparedRule {
    let prepared = this.prepared.get(rule);
    if (!prepared) {
      const kind = this.byId.get(rule.kind);
      if (!kind) {
        throw new Error(
          `Unknown kind '${rule.kind}' of scorecard rule '${rule.id}'`,
        );
      }
      const set = (values?: string[]) =>
        values?.length ? new Set(values.map(lower)) : undefined;
      prepared = {
        kind,
        kinds: set(rule.appliesTo.kind),
        types: set(rule.appliesTo.type),
        fixSuffix: ` How to fix: ${rule.howToFix}`,
        pass: Object.freeze({
          ruleId: rule.id,
          outcome: 'pass',
          message: kind.passMessage(rule),
        }),
      };
      this.prepared.set(rule, prepared);
    }
    return prepared;
  }
}
