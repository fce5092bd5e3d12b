// data/sequence-divergence: the same id naming different rows in two environments, so
// `order 1042` is one order in production and another in staging (support tickets, copied rows and
// cross-environment comparisons then quietly mix them up). Two ways it happens:
// - error: the target has already issued ids past the baseline's sequence position, and rows use
//   them (production's users_id_seq at 10000, staging inserted 10001..10050 after the clone): the
//   baseline's next ids are those same numbers, for other rows. A fresh clone has equal positions.
// - warning: the target's next id falls inside the baseline's live ids (a staging restored from an
//   older copy), so the ids it hands out next already name other rows in the baseline.
// Environments given disjoint id blocks (MINVALUE/MAXVALUE that do not overlap) never collide.
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

/** Whether the two sequences' declared bounds share any value. */
function blocksOverlap(a: DataSequence, b: DataSequence): boolean {
  return BigInt(a.minValue) <= BigInt(b.maxValue) && BigInt(b.minValue) <= BigInt(a.maxValue);
}

const span = (from: bigint, to: bigint) => (from <= to ? `${from}..${to}` : `${to}..${from}`);

export const sequenceDivergence: Rule<DataRuleContext, "issuedPast" | "overlaps"> = {
  meta: {
    id: "data/sequence-divergence",
    description:
      "The target has issued ids past the baseline's sequence position (error), or will hand out ids inside the baseline's live id range (warning): one id then names different rows.",
    defaultSeverity: "error",
    messages: {
      issuedPast:
        "{{column}}: {{target}} has issued ids {{issued}} of table {{table}} past {{baseline}}'s sequence {{baselineSequence}} ({{baselineInUse}}next {{baselineNext}}); {{baseline}} will hand out the same ids for other rows, so {{issued}} already names different rows in the two environments: give each environment its own id block (ALTER SEQUENCE … MINVALUE … MAXVALUE … START … RESTART) or rebuild {{target}} from {{baseline}}",
      overlaps:
        "{{column}}: {{target}}'s sequence {{sequence}} will hand out {{next}}{{direction}} ({{targetRange}}next {{next}}), inside {{baseline}}'s live ids {{low}}..{{high}}: the same id will name different rows; give {{target}} its own id block (ALTER SEQUENCE {{sequence}} MINVALUE … MAXVALUE … START … RESTART, with bounds apart from the baseline's)",
    },
    // Ids the target will hand out next collide later, not yet: a warning.
    messageSeverities: { overlaps: "warning" },
  },
  check({ baseline, target, environments }) {
    const baselineByColumn = new Map(baseline.sequences.map((sequence) => [sequence.column, sequence]));
    return target.sequences.flatMap((sequence) => {
      const other = baselineByColumn.get(sequence.column);
      if (!other || sequence.nextValue === null) return [];
      const next = BigInt(sequence.nextValue);
      const increment = BigInt(sequence.increment);
      const ascending = increment > 0n;
      const beyond = (a: bigint, b: bigint) => (ascending ? a > b : a < b);
      const table = sequence.column.slice(0, sequence.column.lastIndexOf("."));

      // Issued past the baseline's position, with rows using those ids.
      const targetEdge = ascending ? sequence.liveMax : sequence.liveMin;
      if (other.nextValue !== null && targetEdge !== null && blocksOverlap(sequence, other)) {
        const baselineLast = BigInt(other.nextValue) - BigInt(other.increment);
        const targetLast = next - increment;
        const firstShared = baselineLast + increment;
        if (beyond(targetLast, baselineLast) && beyond(BigInt(targetEdge), baselineLast)) {
          const issued = span(firstShared, targetLast);
          const baselineIds = liveRange(other);
          const baselineRange = baselineIds ? span(...baselineIds) : null;
          return [
            report(sequenceDivergence.meta, {
              messageId: "issuedPast",
              data: {
                column: sequence.column,
                target: environments.target,
                issued,
                table,
                baseline: environments.baseline,
                baselineSequence: other.sequence,
                baselineInUse: baselineRange ? `ids in use ${baselineRange}, ` : "",
                baselineNext: other.nextValue,
              },
              environment: target.environment,
              objectType: "sequence",
              object: sequence.sequence,
              expected: { range: baselineRange, next: other.nextValue },
              actual: {
                issued,
                next: next.toString(),
                range: span(BigInt(sequence.liveMin ?? targetEdge), BigInt(sequence.liveMax ?? targetEdge)),
              },
            }),
          ];
        }
      }

      const range = liveRange(other);
      if (!range) return [];
      const [low, high] = range;
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
            next: next.toString(),
            direction: ascending ? " and up" : " and down",
            targetRange,
            baseline: environments.baseline,
            low: low.toString(),
            high: high.toString(),
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
