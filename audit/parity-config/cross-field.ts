// Rules that relate several fields. They read the raw (expanded, not yet validated) tree
// defensively so they run even when zod found structural problems elsewhere: the user sees
// every problem at once.
import { formatPath } from "./expand.ts";

const SOURCES = ["database", "config", "rds", "pulumi"] as const;
const CONFIG_SOURCES = ["ssm", "pulumi", "dotenv"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function crossFieldProblems(raw: unknown): string[] {
  if (!isRecord(raw)) return [];
  const problems: string[] = [];
  const environments = isRecord(raw.environments) ? raw.environments : undefined;

  if (typeof raw.baseline === "string" && environments && !(raw.baseline in environments)) {
    const known = Object.keys(environments).join(", ") || "none";
    problems.push(`baseline: "${raw.baseline}" is not one of the environments (${known})`);
  }
  if (environments && Object.keys(environments).length < 2) {
    problems.push("environments: declare the baseline and at least one environment to compare with it");
  }

  for (const [name, env] of Object.entries(environments ?? {})) {
    if (!isRecord(env)) continue;
    const at = (...rest: string[]) => formatPath(["environments", name, ...rest]);
    if (!SOURCES.some((source) => env[source] !== undefined)) {
      problems.push(`${at()}: declares nothing to audit (give at least one of ${SOURCES.join(", ")})`);
    }
    const database = isRecord(env.database) ? env.database : undefined;
    if (typeof database?.url === "string" && database.url.includes("${pulumi.") && env.pulumi === undefined) {
      problems.push(
        `${at("database", "url")}: uses \${pulumi.…} but the environment declares no pulumi stack`,
      );
    }
    if (isRecord(env.config)) {
      const given = CONFIG_SOURCES.filter(
        (source) => env.config && (env.config as never)[source] !== undefined,
      );
      if (given.length !== 1) {
        problems.push(
          `${at("config")}: give exactly one of ${CONFIG_SOURCES.join(", ")}` +
            (given.length > 1 ? ` (found ${given.join(" and ")})` : ""),
        );
      }
    }
    if (isRecord(env.rds)) {
      const hasInstance = env.rds.instance !== undefined;
      const hasCluster = env.rds.cluster !== undefined;
      if (hasInstance === hasCluster) {
        problems.push(
          `${at("rds")}: give exactly one of instance (an RDS DB instance id) or cluster (an Aurora cluster id)` +
            (hasInstance ? ", not both" : ""),
        );
      }
    }
  }

  // A target source the baseline cannot provide would never be compared: say so now.
  const baseline = typeof raw.baseline === "string" && environments ? environments[raw.baseline] : undefined;
  // A role map names the baseline's roles in a target's terms: on the baseline it would map nothing.
  if (isRecord(baseline) && isRecord(baseline.database) && baseline.database.roles !== undefined) {
    problems.push(
      `${formatPath(["environments", String(raw.baseline), "database", "roles"])}: the baseline's roles are the ones mapped from; ` +
        "give roles.map on the environments compared with it (production role: that environment's role)",
    );
  }
  if (isRecord(baseline)) {
    const baselineProvides = (source: string) =>
      baseline[source] !== undefined ||
      (baseline.pulumi !== undefined && (source === "rds" || source === "config"));
    for (const [name, env] of Object.entries(environments ?? {})) {
      if (name === raw.baseline || !isRecord(env)) continue;
      for (const source of ["database", "config", "rds"]) {
        if (env[source] !== undefined && !baselineProvides(source)) {
          problems.push(
            `${formatPath(["environments", name, source])}: the baseline (${String(raw.baseline)}) has no ${source} to compare with`,
          );
        }
      }
    }
  }
  return problems;
}
