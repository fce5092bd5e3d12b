// Worse than a missing key: a staging value that points at production (its database endpoint, a
// production hostname, ARN or account). The message names the key and the production marker, never
// the value, which may hold credentials (postgres://user:password@host/db).
import { type Rule, report } from "../../../core/rule.ts";
import { markersIn, productionMarkers } from "../../checks/config-keys/markers.ts";
import type { ConfigKeysRuleContext } from "../../checks/config-keys/types.ts";

const LABELS = {
  "database-endpoint": "database endpoint",
  hostname: "hostname",
  arn: "ARN",
  "account-id": "AWS account id",
} as const;

export const pointsAtProduction: Rule<ConfigKeysRuleContext, "pointsAt"> = {
  meta: {
    id: "config/points-at-production",
    description:
      "A target value contains one of the baseline's hostnames, database endpoints, ARNs or account ids.",
    defaultSeverity: "error",
    messages: {
      pointsAt: 'Config key "{{key}}" in {{target}} points at {{baseline}}: its value contains {{markers}}',
    },
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
        report(pointsAtProduction.meta, {
          messageId: "pointsAt",
          data: { key: key.key, target: target.environment, baseline: baseline.environment, markers: list },
          environment: target.environment,
          objectType: "config-key",
          object: key.key,
          actual: found.map((m) => ({ kind: m.kind, marker: m.marker })),
        }),
      ];
    });
  },
};
