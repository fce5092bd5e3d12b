// data/sequence-divergence: a target sequence that will hand out ids the baseline already uses, so
// `order 1042` is one order in production and another in staging (support tickets, copied rows and
// cross-environment comparisons then quietly mix them up).
import { type Rule, report } from "../../../core/rule.ts";
import type { DataRuleContext, DataSequence } from "../../checks/data/types.ts";

/** The ids the baseline has in use: its column's live range, else what its sequence handed out. */
function liveRange(sequence: DataSequence): [bigint, bigint] | undefined {
  if (sequence.liveMin !== null && sequence.liveMax !== null) {
    return [BigInt(sequence.liveMin), BigInt(sequence.liveMax)];
  }
  if (sequence.nextValue === null || sequence.nextValue === sequence.start) return undefined;
  const [start, last] = [BigInt(sequence.start), BigInt(sequence.nextValue) - BigInt(sequence.increment)];
  return start <= last ? [start, last] : [last, start];
}

export const sequenceDivergence: Rule<DataRuleContext, "overlaps"> = {
  meta: {
    id: "data/sequence-divergence",
    description:
      "A target sequence will hand out ids inside the baseline's live id range, so one id means different rows.",
    defaultSeverity: "warning",
    messages: {
      overlaps:
        "{{column}}: {{target}}'s sequence {{sequence}} will hand out {{next}}{{direction}} ({{targetRange}}next {{next}}), inside {{baseline}}'s live ids {{low}}..{{high}}: the same id will name different rows; restart it past the baseline (ALTER SEQUENCE {{sequence}} RESTART WITH …) or give each environment its own id block",
    },
  },
  check({ baseline, target, environments }) {
    const baselineByColumn = new Map(baseline.sequences.map((sequence) => [sequence.column, sequence]));
    return target.sequences.flatMap((sequence) => {
      const other = baselineByColumn.get(sequence.column);
      const range = other && liveRange(other);
      if (!range) return [];
      const [low, high] = range;
      if (sequence.nextValue === null) return [];
      const next = BigInt(sequence.nextValue);
      const ascending = BigInt(sequence.increment) > 0n;
      // Ascending: it overlaps once its next value is at or below the baseline's highest live id
      // (and not below all of them, which would be a separate, lower block).
      const overlaps = ascending ? next <= high && next >= low : next >= low && next <= high;
      if (!overlaps) return [];
      const targetRange =
        sequence.liveMin !== null && sequence.liveMax !== null
          ? `live ids ${sequence.liveMin}..${sequence.liveMax}, `
          : "";
      return [
        report(sequenceDivergence.meta, {
          messageId: "overlaps",
          data: {
            column: sequence.column,
            target: environments.target,
            sequence: sequence.sequence,
            next,
            direction: ascending ? " and up" : " and down",
            targetRange,
            baseline: environments.baseline,
            low,
            high,
          },
          environment: target.environment,
          objectType: "sequence",
          object: sequence.sequence,
          expected: { range: `${low}..${high}` },
          actual: {
            next: next.toString(),
            range: targetRange ? `${sequence.liveMin}..${sequence.liveMax}` : null,
          },
        }),
      ];
    });
  },
};
