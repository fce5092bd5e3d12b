// The RDS check: read one environment's instance or cluster; compare two with every rule.
import type { AuditCheck, RdsSpec } from "../../../core/check.ts";
import { compareFindings } from "../../../core/finding.ts";
import { metasOf, rulesByDomain } from "../../rules/index.ts";
import type { RdsReadOptions } from "./read.ts";
import type { RdsSnapshot } from "./types.ts";

export function createRdsCheck(options: RdsReadOptions = {}): AuditCheck<RdsSpec, RdsSnapshot> {
  return {
    id: "rds",
    rules: metasOf("rds"),
    // The AWS SDK loads only when an environment declares `rds`.
    read: async (spec, context) => (await import("./read.ts")).readRds(spec, context, options),
    compare: (baseline, target, environments) =>
      rulesByDomain.rds
        .flatMap((rule) => rule.check({ baseline, target, environments }))
        .sort(compareFindings),
  };
}

export const rdsCheck: AuditCheck<RdsSpec, RdsSnapshot> = createRdsCheck();
