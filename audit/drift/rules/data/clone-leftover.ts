// data/clone-leftover: `parity clone` builds its copy under a temporary name (parity_clone_<hex>) and
// renames it only once masked. A run killed before masking committed (SIGKILL, a lost CI runner)
// leaves that copy on the environment's server: never under the environment's name, but a full copy
// of the source that may still hold unmasked personal data, until the next clone to that server
// removes it (audit/masking/leftovers.ts).
import { type Rule, report } from "../../../core/rule.ts";
import type { DataRuleContext } from "../../checks/data/types.ts";

/** `42 s`, `17 min`, `5 h`, `3 days`. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return "an unknown time";
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

export const cloneLeftover: Rule<DataRuleContext, "leftover"> = {
  meta: {
    id: "data/clone-leftover",
    description:
      "An interrupted parity clone of the target left its temporary, possibly unmasked copy (parity_clone_*) on the target's server.",
    defaultSeverity: "error",
    messages: {
      leftover:
        '{{database}} on {{target}}\'s server is what an interrupted parity clone building {{building}} left {{age}} ago; it may hold unmasked rows of the source. The next parity clone to this server removes it, or now: DROP DATABASE "{{database}}" WITH (FORCE)',
    },
  },
  check({ target, environments }) {
    return (target.cloneLeftovers ?? []).map((leftover) =>
      report(cloneLeftover.meta, {
        messageId: "leftover",
        data: {
          database: leftover.database,
          target: environments.target,
          building: leftover.building,
          age: formatAge(leftover.ageSeconds),
        },
        environment: target.environment,
        objectType: "database",
        object: leftover.database,
      }),
    );
  },
};
