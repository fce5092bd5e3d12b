// Schema and engine drift of live PostgreSQL databases: the `database` check and its rules.
import type { AuditCheck, DatabaseSpec } from "../../../core/check.ts";
import { ParityInputError } from "../../../core/errors.ts";
import {
  beginRead,
  type IntrospectOptions,
  introspectDatabase,
  type OpenRead,
} from "../../../schema/introspect.ts";
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

function introspectOptions(
  spec: DatabaseSpec,
  environment: string,
  signal?: AbortSignal,
  onObjects?: (count: number) => void,
): IntrospectOptions {
  if (typeof spec.url !== "string" || spec.url.trim() === "") {
    throw new ParityInputError(`${environment}: database.url is required`);
  }
  return {
    environment,
    ...(signal ? { signal } : {}),
    ...(onObjects ? { onObjects } : {}),
    ...(spec.schemas ? { schemas: spec.schemas } : {}),
    ...(spec.excludeSchemas ? { excludeSchemas: spec.excludeSchemas } : {}),
    ...(spec.includeObjects ? { includeObjects: spec.includeObjects } : {}),
    ...(spec.excludeObjects ? { excludeObjects: spec.excludeObjects } : {}),
    ...(spec.settings ? { settings: spec.settings } : {}),
  };
}

/** Whether the spec's role map names any role differently (an entry `a: a` changes nothing). */
function renamesRoles(spec: DatabaseSpec): boolean {
  return Object.entries(spec.roles?.map ?? {}).some(([from, to]) => from !== to);
}

/** The snapshot carries its environment's role map, which the comparison applies to the baseline. */
function withRoleMap<T extends DatabaseSnapshot | Error | undefined>(
  snapshot: T,
  spec: DatabaseSpec | undefined,
): T {
  const map = spec?.roles?.map;
  if (!map || Object.keys(map).length === 0 || snapshot === undefined || snapshot instanceof Error)
    return snapshot;
  return { ...snapshot, roleMap: map };
}

export const databaseCheck: AuditCheck<DatabaseSpec, DatabaseSnapshot> = {
  id: "database",
  rules,
  async read(spec, context) {
    return withRoleMap(
      await introspectDatabase(
        spec.url,
        introspectOptions(spec, context.environment, context.signal, context.onObjects),
      ),
      spec,
    );
  },
  // Every environment is begun, then all complete together, reading in full only what differs;
  // completeTogether completes or closes every read that opened, and drops them all on abort.
  async readTogether(specs, { baseline, signal, onObjects }) {
    const failed = new Map<string, Error>();
    const opened = new Map<string, OpenRead>();
    // The fingerprints hash owners and grantees as stored: with a role map, a relation the same
    // on both sides of a clone can still be owner drift once the baseline's names are mapped, so
    // every relation is read in full (without fingerprints the paired read never applies).
    const fingerprints = ![...specs.values()].some((spec) => renamesRoles(spec));
    await Promise.all(
      [...specs].map(async ([environment, spec]) => {
        try {
          const options = introspectOptions(
            spec,
            environment,
            signal,
            onObjects ? (count) => onObjects(environment, count) : undefined,
          );
          opened.set(environment, await beginRead(spec.url, options, { fingerprints }));
        } catch (error) {
          failed.set(environment, error as Error);
        }
      }),
    );
    const targets = [...opened].filter(([name]) => name !== baseline).map(([, read]) => read);
    const completed = await completeTogether(opened.get(baseline), targets, signal);
    return new Map(
      [...specs.keys()].map((name) => [
        name,
        failed.get(name) ??
          withRoleMap(completed.get(name), specs.get(name)) ??
          new Error("its read was not completed"),
      ]),
    );
  },
  compare(baseline, target, context) {
    return compareSnapshots(baseline, target, context);
  },
};
