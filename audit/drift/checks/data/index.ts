// The data check: masking coverage, sequence divergence and data volume, over one DataSnapshot
// per environment. Reading does I/O in two steps: each environment's catalog facts
// (readDataSnapshot), then, knowing every environment's, the sequence positions and live id ranges
// only where another environment's make them matter (finishDataReads). The rules are pure
// functions of two snapshots.
import type { AuditCheck, DatabaseSpec, ReadContext } from "../../../core/check.ts";
import { compareFindings } from "../../../core/finding.ts";
import { metasOf, rulesByDomain } from "../../rules/index.ts";
import { finishDataReads, readDataSnapshot } from "./read.ts";
import type { DataRead, DataSnapshot } from "./types.ts";

export { piiKind } from "../../../masking/pii.ts";
export { finishDataReads, readDataSnapshot } from "./read.ts";
export type { DataRead, DataRuleContext, DataSnapshot } from "./types.ts";

/** Both steps for one environment on its own (its own baseline): what `read` returns. */
async function readAlone(spec: DatabaseSpec, context: ReadContext): Promise<DataSnapshot> {
  const read = await readDataSnapshot(spec, context);
  const finished = await finishDataReads(new Map([[context.environment, read]]), {
    baseline: context.environment,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const snapshot = finished.get(context.environment);
  if (snapshot === undefined) throw new Error("its read was not finished");
  if (snapshot instanceof Error) throw snapshot;
  return snapshot;
}

export const dataCheck: AuditCheck<DatabaseSpec, DataSnapshot> = {
  id: "data",
  rules: metasOf("data"),
  read: readAlone,
  // Sequence positions and live id ranges are read only where another environment's make them
  // matter, so every environment's first step is in before any second step runs.
  async readTogether(specs, { baseline, configDir, signal }) {
    const results = new Map<string, DataSnapshot | Error>();
    const reads = new Map<string, DataRead>();
    await Promise.all(
      [...specs].map(async ([environment, spec]) => {
        try {
          reads.set(
            environment,
            await readDataSnapshot(
              spec,
              { environment, configDir, ...(signal ? { signal } : {}) },
              // The rules read only sequences and row estimates of the baseline.
              { baselineOnly: environment === baseline && specs.size > 1 },
            ),
          );
        } catch (error) {
          results.set(environment, error instanceof Error ? error : new Error(String(error)));
        }
      }),
    );
    if (reads.size > 0) {
      const finished = await finishDataReads(reads, { baseline, ...(signal ? { signal } : {}) });
      for (const [environment, snapshot] of finished) results.set(environment, snapshot);
    }
    return results;
  },
  compare(baseline, target, environments) {
    return rulesByDomain.data
      .flatMap((rule) => rule.check({ baseline, target, environments }))
      .sort(compareFindings);
  },
};
