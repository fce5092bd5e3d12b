// The data check: masking coverage, sequence divergence and data volume, over one DataSnapshot
// per environment. Reading does I/O (readDataSnapshot); the rules are pure functions of two snapshots.
import type { AuditCheck, DatabaseSpec, RuleMeta } from "../../../core/check.ts";
import { compareFindings } from "../../../core/finding.ts";
import { maskingCoverage } from "../../rules/data/masking-coverage.ts";
import { sequenceDivergence } from "../../rules/data/sequence-divergence.ts";
import { dataVolume } from "../../rules/data/volume.ts";
import { finishDataReads, readDataSnapshot } from "./read.ts";
import type { DataRead, DataRule, DataSnapshot } from "./types.ts";

export { piiKind } from "../../../masking/pii.ts";
export { finishDataReads, readDataSnapshot } from "./read.ts";
export type { DataRead, DataRule, DataSnapshot } from "./types.ts";

/** Static, sorted registry. */
export const dataRules: readonly DataRule[] = [maskingCoverage, sequenceDivergence, dataVolume];

export const rules: RuleMeta[] = dataRules.map((rule) => rule.meta);

export const dataCheck: AuditCheck<DatabaseSpec, DataSnapshot, DataRead> = {
  id: "data",
  rules,
  read: readDataSnapshot,
  // Sequence positions and live id ranges are read only where another environment's make them matter.
  finish: finishDataReads,
  compare(baseline, target, environments) {
    return dataRules.flatMap((rule) => rule.check({ baseline, target, environments })).sort(compareFindings);
  },
};
