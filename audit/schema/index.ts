// Schema and engine drift of live PostgreSQL databases: the `database` check and its rules.
import type { AuditCheck, DatabaseSpec } from "../core/check.ts";
import { ParityInputError } from "../core/errors.ts";
import { compareSnapshots } from "./compare.ts";
import { introspectDatabase } from "./introspect.ts";
import type { DatabaseSnapshot } from "./model.ts";
import { rules } from "./rules/index.ts";

export { compareSnapshots } from "./compare.ts";
export { diffModels, type ObjectDiff } from "./differ.ts";
export { type IntrospectOptions, introspectDatabase, QUERY_COUNT } from "./introspect.ts";
export type { DatabaseSnapshot, EngineFacts, ObjectType, SchemaObject, SettingValue } from "./model.ts";
export { rules, schemaRules } from "./rules/index.ts";
export { NOISE_SETTINGS, WATCHED_SETTINGS } from "./settings.ts";

export const databaseCheck: AuditCheck<DatabaseSpec, DatabaseSnapshot> = {
  id: "database",
  rules,
  async read(spec, context) {
    if (typeof spec.url !== "string" || spec.url.trim() === "") {
      throw new ParityInputError(`${context.environment}: database.url is required`);
    }
    return introspectDatabase(spec.url, {
      environment: context.environment,
      ...(context.signal ? { signal: context.signal } : {}),
      ...(spec.schemas ? { schemas: spec.schemas } : {}),
      ...(spec.excludeSchemas ? { excludeSchemas: spec.excludeSchemas } : {}),
      ...(spec.includeObjects ? { includeObjects: spec.includeObjects } : {}),
      ...(spec.excludeObjects ? { excludeObjects: spec.excludeObjects } : {}),
      ...(spec.settings ? { settings: spec.settings } : {}),
    });
  },
  compare(baseline, target, context) {
    return compareSnapshots(baseline, target, context);
  },
};
