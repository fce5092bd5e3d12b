// Worse than a missing key: a staging value that points at production (its database endpoint, a
// production hostname, ARN or account). The message names the key and the production marker, never
// the value, which may hold credentials (postgres://user:password@host/db).
import { makeFinding } from "../../../core/finding.ts";
import { markersIn, productionMarkers } from "../../checks/config-keys/markers.ts";
import type { ConfigKeysRule } from "../../checks/config-keys/types.ts";

const LABELS = {
  "database-endpoint": "database endpoint",
  hostname: "hostname",
  arn: "ARN",
  "account-id": "AWS account id",
} as const;

export const pointsAtProduction: ConfigKeysRule = {
  meta: {
    id: "config/points-at-production",
    description:
      "A target value contains one of the baseline's hostnames, database endpoints, ARNs or account ids.",
    defaultSeverity: "error",
  },
  check({ baseline, target }) {
    const markers = productionMarkers(baseline, target);
    if (markers.length === 0) return [];
    return target.keys.flatMap((key) => {
      if (key.type === "SecureString" || key.value === undefined) return [];
      const found = markersIn(key.value, markers);
      if (found.length === 0) return [];
      const list = found
        .map(
          (m) =>
            `${baseline.environment}'s ${LABELS[m.kind]} ${m.marker} (as in ${baseline.environment} key "${m.fromKey}")`,
        )
        .join("; ");
      return [
        makeFinding({
          ruleId: pointsAtProduction.meta.id,
          severity: pointsAtProduction.meta.defaultSeverity,
          message: `Config key "${key.key}" in ${target.environment} points at ${baseline.environment}: its value contains ${list}`,
          environment: target.environment,
          objectType: "config-key",
          object: key.key,
          actual: found.map((m) => ({ kind: m.kind, marker: m.marker })),
        }),
      ];
    });
  },
};
