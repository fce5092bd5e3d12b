// parity's guardrails as CrossGuard resource policies. Each wraps one pure check (rules.ts) and
// reports every problem it finds, naming the input.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
  exposureViolations,
  instanceClassViolations,
  pinningViolations,
  restoreModeViolations,
} from "./rules.ts";

type Check = (type: string, props: Readonly<Record<string, unknown>>) => string[];

function policy(name: string, description: string, check: Check): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      for (const message of check(args.type, args.props as Record<string, unknown>)) reportViolation(message);
    },
  };
}

export const parityPolicies: ResourceValidationPolicy[] = [
  policy(
    "parity-rds-instance-class",
    "RDS and Aurora PostgreSQL instances use a class the engine offers (Aurora has no db.t4g.small)",
    instanceClassViolations,
  ),
  policy(
    "parity-aurora-restore-mode",
    "Aurora point-in-time restores send exactly one of restoreToTime / useLatestRestorableTime, and no time with copy-on-write",
    restoreModeViolations,
  ),
  policy(
    "parity-engine-pinned",
    "Engine versions pinned to major.minor on a creatable major, auto minor upgrades off, storage encrypted, cluster instances on their own parameter group",
    pinningViolations,
  ),
  policy(
    "parity-no-public-copies",
    "Copies of production are never public; production keeps deletion protection, its final snapshot and a week of backups",
    exposureViolations,
  ),
];
