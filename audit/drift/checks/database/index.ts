// Schema and engine drift of live PostgreSQL databases: the `database` check and its rules.
import type { AuditCheck, DatabaseSpec } from "../../../core/check.ts";
import { ParityInputError } from "../../../core/errors.ts";
import { beginRead, type OpenRead } from "../../../schema/introspect.ts";
import type { DatabaseSnapshot } from "../../../schema/model.ts";
import { completeTogether } from "../../../schema/paired-read/complete.ts";
import { metasOf } from "../../rules/index.ts";
import { compareSnapshots } from "./compare.ts";

export { diffModels, type ObjectDiff } from "../../../schema/differ.ts";
export {
  beginRead,
  type IntrospectOptions,
  introspectDatabase,
  type OpenRead,
  QUERY_COUNT,
} from "../../../schema/introspect.ts";
export type {
  DatabaseSnapshot,
  EngineFacts,
  ObjectType,
  SchemaObject,
  SettingValue,
} from "../../../schema/model.ts";
export { completeTogether } from "../../../schema/paired-read/complete.ts";
export { NOISE_SETTINGS, WATCHED_SETTINGS } from "../../../schema/settings.ts";
export { compareSnapshots } from "./compare.ts";

const rules = metasOf("engine", "schema");

export const databaseCheck: AuditCheck<DatabaseSpec, DatabaseSnapshot, OpenRead> = {
  id: "database",
  rules,
  async read(spec, context) {
    if (typeof spec.url !== "string" || spec.url.trim() === "") {
      throw new ParityInputError(`${context.environment}: database.url is required`);
    }
    return beginRead(
      spec.url,
      {
        environment: context.environment,
        ...(context.signal ? { signal: context.signal } : {}),
        ...(spec.schemas ? { schemas: spec.schemas } : {}),
        ...(spec.excludeSchemas ? { excludeSchemas: spec.excludeSchemas } : {}),
        ...(spec.includeObjects ? { includeObjects: spec.includeObjects } : {}),
        ...(spec.excludeObjects ? { excludeObjects: spec.excludeObjects } : {}),
        ...(spec.settings ? { settings: spec.settings } : {}),
      },
      { fingerprints: true },
    );
  },
  // Every environment's read is still open here: together they read in full only what differs.
  async finish(reads, { baseline, signal }) {
    const targets = [...reads].filter(([name]) => name !== baseline).map(([, read]) => read);
    return completeTogether(reads.get(baseline), targets, signal);
  },
  compare(baseline, target, context) {
    return compareSnapshots(baseline, target, context);
  },
};
