// Turns the rows of the fixed catalog queries into the flat, normalized model. Pure: no I/O,
// so the same rows always give the same model whatever order the server returned them in.

import type { ObjectFilter } from "../core/patterns.ts";
import type { CatalogRows } from "./catalog-rows.ts";
import { type ObjectType, objectKey, type PropValue, type SchemaObject } from "./model.ts";
import {
  dropDefaultInMode,
  normalizeDefinition,
  normalizeProcedureDefinition,
  normalizeViewDefinition,
  parseAclItem,
} from "./normalize.ts";

const RELATION_TYPES: Record<string, ObjectType> = {
  r: "table",
  p: "table",
  f: "table",
  v: "view",
  m: "materialized-view",
  c: "type",
};
const TABLE_KINDS: Record<string, string> = { r: "ordinary", p: "partitioned", f: "foreign" };
const PERSISTENCE: Record<string, string> = { p: "permanent", u: "unlogged", t: "temporary" };
const CONSTRAINT_TYPES: Record<string, string> = {
  p: "primary key",
  u: "unique",
  c: "check",
  f: "foreign key",
  x: "exclusion",
  t: "constraint trigger",
};
const VOLATILITY: Record<string, string> = { i: "immutable", s: "stable", v: "volatile" };
const PARALLEL: Record<string, string> = { s: "safe", r: "restricted", u: "unsafe" };
const TRIGGER_ENABLED: Record<string, string> = { O: "origin", D: "disabled", R: "replica", A: "always" };
const POLICY_COMMANDS: Record<string, string> = {
  r: "SELECT",
  a: "INSERT",
  w: "UPDATE",
  d: "DELETE",
  "*": "ALL",
};
const COLLATION_PROVIDERS: Record<string, string> = { c: "libc", i: "icu", d: "default" };
const TYPE_KINDS: Record<string, ObjectType> = { e: "enum", d: "domain", r: "type", c: "type" };

function relationType(kind: string): ObjectType {
  return RELATION_TYPES[kind] ?? "table";
}

function sorted(values: readonly string[] | null): readonly string[] | null {
  return values === null ? null : [...values].sort();
}

export function buildObjects(rows: CatalogRows, filter: ObjectFilter): Record<string, SchemaObject> {
  const objects: Record<string, SchemaObject> = {};
  const add = (
    objectType: ObjectType,
    name: string,
    props: Record<string, PropValue>,
    extra: { parent?: string; dependsOn?: string[]; key?: string; origin?: "initdb" } = {},
  ) => {
    const key = extra.key ?? objectKey(objectType, name);
    const object: SchemaObject = { key, objectType, name, props };
    if (extra.parent) object.parent = extra.parent;
    if (extra.origin) object.origin = extra.origin;
    if (extra.dependsOn && extra.dependsOn.length > 0) object.dependsOn = extra.dependsOn;
    objects[key] = object;
  };
  const keep = (schema: string, ...names: string[]) => filter.schema(schema) && filter.object(names);

  for (const row of rows.schemas) {
    if (filter.schema(row.schema)) add("schema", row.schema, { comment: row.comment });
  }

  for (const row of rows.relations) {
    const name = `${row.schema}.${row.name}`;
    if (!keep(row.schema, name)) continue;
    const objectType = relationType(row.kind);
    const parent = objectKey("schema", row.schema);
    if (objectType === "view" || objectType === "materialized-view") {
      add(
        objectType,
        name,
        {
          definition: normalizeViewDefinition(row.view_definition),
          options: sorted(row.options),
          comment: row.comment,
        },
        { parent },
      );
    } else if (objectType === "type") {
      add(objectType, name, { kind: "composite", comment: row.comment }, { parent });
    } else {
      add(
        objectType,
        name,
        {
          kind: TABLE_KINDS[row.kind] ?? row.kind,
          persistence: PERSISTENCE[row.persistence] ?? row.persistence,
          partitionKey: row.partition_key,
          partitionOf: row.is_partition ? (row.parents?.[0] ?? null) : null,
          partitionBound: row.partition_bound,
          inherits: row.is_partition ? null : row.parents,
          options: sorted(row.options),
          rowSecurity: row.rls_enabled,
          forceRowSecurity: row.rls_forced,
          comment: row.comment,
        },
        { parent },
      );
    }
  }

  for (const row of rows.columns) {
    const relation = `${row.schema}.${row.relation}`;
    const name = `${relation}.${row.name}`;
    if (!keep(row.schema, name, relation)) continue;
    const generated = row.generated === "s";
    const dependsOn: string[] = [];
    const typeKind = TYPE_KINDS[row.base_type_kind];
    if (typeKind && row.base_type_schema !== "pg_catalog" && row.base_type_schema !== "information_schema") {
      dependsOn.push(objectKey(typeKind, `${row.base_type_schema}.${row.base_type_name}`));
    }
    if (row.collation && row.user_collation) dependsOn.push(objectKey("collation", row.collation));
    add(
      "column",
      name,
      {
        type: row.type,
        collation: row.collation,
        notNull: row.not_null,
        default: generated ? null : normalizeDefinition(row.default_expr),
        identity: row.identity === "a" ? "always" : row.identity === "d" ? "by default" : null,
        generated: generated ? normalizeDefinition(row.default_expr) : null,
        inherited: row.inherited,
        comment: row.comment,
      },
      { parent: objectKey(relationType(row.kind), relation), dependsOn },
    );
  }

  // Definitions of PRIMARY KEY / UNIQUE constraints, for the indexes behind them.
  const constraintDefinitions = new Map<string, string>();
  for (const row of rows.constraints) {
    if (row.type === "p" || row.type === "u") {
      constraintDefinitions.set(`${row.schema}.${row.relation}.${row.name}`, row.definition);
    }
  }

  for (const row of rows.indexes) {
    const table = `${row.table_schema}.${row.table_name}`;
    const name = `${row.schema}.${row.name}`;
    if (!keep(row.schema, name, table)) continue;
    add(
      "index",
      name,
      {
        table,
        definition: normalizeDefinition(
          row.definition ??
            constraintIndexDefinition(
              row.name,
              table,
              constraintDefinitions.get(`${table}.${row.constraint_name}`) ?? "",
            ),
        ),
        valid: row.valid,
        comment: row.comment,
      },
      { parent: objectKey(relationType(row.table_kind), table) },
    );
  }

  for (const row of rows.constraints) {
    const relation = `${row.schema}.${row.relation}`;
    const name = `${relation}.${row.name}`;
    if (!keep(row.schema, name, relation)) continue;
    add(
      "constraint",
      name,
      {
        type: CONSTRAINT_TYPES[row.type] ?? row.type,
        definition: normalizeDefinition(row.definition),
        deferrable: row.deferrable,
        initiallyDeferred: row.deferred,
        validated: row.validated,
        comment: row.comment,
      },
      { parent: objectKey(relationType(row.kind), relation) },
    );
  }

  for (const row of rows.sequences) {
    // Identity sequences are part of their column's identity, not objects users manage.
    if (row.owner_kind === "i") continue;
    const name = `${row.schema}.${row.name}`;
    if (!keep(row.schema, name)) continue;
    add(
      "sequence",
      name,
      {
        type: row.type,
        start: row.start,
        increment: row.increment,
        min: row.min,
        max: row.max,
        cache: row.cache,
        cycle: row.cycle,
        ownedBy: row.owner,
        comment: row.comment,
      },
      { parent: objectKey("schema", row.schema) },
    );
  }

  for (const row of rows.functions) {
    const name = `${row.schema}.${row.name}(${row.argument_types})`;
    if (!keep(row.schema, name, `${row.schema}.${row.name}`)) continue;
    const procedure = row.kind === "p";
    add(
      row.kind === "p" ? "procedure" : "function",
      name,
      {
        arguments: procedure ? dropDefaultInMode(row.arguments) : row.arguments,
        result: row.result,
        kind: row.kind === "w" ? "window" : row.kind === "p" ? "procedure" : "function",
        language: row.language,
        volatility: VOLATILITY[row.volatility] ?? row.volatility,
        strict: row.strict,
        securityDefiner: row.security_definer,
        leakproof: row.leakproof,
        parallel: PARALLEL[row.parallel] ?? row.parallel,
        config: sorted(row.config),
        definition: normalizeDefinition(
          procedure ? normalizeProcedureDefinition(row.definition) : row.definition,
        ),
        comment: row.comment,
      },
      { parent: objectKey("schema", row.schema) },
    );
  }

  for (const row of rows.triggers) {
    const relation = `${row.schema}.${row.relation}`;
    const name = `${relation}.${row.name}`;
    if (!keep(row.schema, name, relation)) continue;
    const parent = objectKey(relationType(row.kind), relation);
    add(
      "trigger",
      name,
      {
        definition: normalizeDefinition(row.definition),
        enabled: TRIGGER_ENABLED[row.enabled] ?? row.enabled,
        comment: row.comment,
      },
      // A trigger on a view goes with the view: when the view is recreated, so is the trigger.
      { parent, dependsOn: row.kind === "v" ? [parent] : [] },
    );
  }

  for (const row of rows.types) {
    const name = `${row.schema}.${row.name}`;
    if (!keep(row.schema, name)) continue;
    const parent = objectKey("schema", row.schema);
    if (row.kind === "e") add("enum", name, { labels: row.labels ?? [], comment: row.comment }, { parent });
    else if (row.kind === "d")
      add(
        "domain",
        name,
        {
          baseType: row.base_type,
          notNull: row.not_null,
          default: normalizeDefinition(row.default_expr),
          checks: row.checks ?? [],
          comment: row.comment,
        },
        { parent },
      );
    else add("type", name, { kind: "range", subtype: row.base_type, comment: row.comment }, { parent });
  }

  for (const row of rows.extensions) {
    if (!keep(row.schema, row.name)) continue;
    add("extension", row.name, { version: row.version, schema: row.schema });
  }

  for (const row of rows.collations) {
    const name = `${row.schema}.${row.name}`;
    if (!keep(row.schema, name)) continue;
    const provider = COLLATION_PROVIDERS[row.provider] ?? row.provider;
    add(
      "collation",
      name,
      provider === "icu"
        ? {
            provider,
            locale: row.locale ?? row.collate,
            deterministic: row.deterministic,
            comment: row.comment,
          }
        : {
            provider,
            collate: row.collate,
            ctype: row.ctype,
            deterministic: row.deterministic,
            comment: row.comment,
          },
      { parent: objectKey("schema", row.schema) },
    );
  }

  for (const row of rows.policies) {
    const relation = `${row.schema}.${row.relation}`;
    const name = `${relation}.${row.name}`;
    if (!keep(row.schema, name, relation)) continue;
    add(
      "policy",
      name,
      {
        command: POLICY_COMMANDS[row.command] ?? row.command,
        permissive: row.permissive ? "permissive" : "restrictive",
        roles: row.roles,
        using: normalizeDefinition(row.using_expr),
        withCheck: normalizeDefinition(row.check_expr),
      },
      { parent: objectKey("table", relation) },
    );
  }

  for (const row of rows.privileges) {
    const dot = row.name.indexOf(".");
    const schema = row.on_kind === "schema" ? row.name : row.name.slice(0, dot);
    let relation = row.name;
    let parent: string;
    if (row.on_kind === "function") {
      relation = row.name.slice(0, row.name.indexOf("("));
      parent = objectKey(row.relkind === "p" ? "procedure" : "function", row.name);
    } else if (row.on_kind === "schema") {
      parent = objectKey("schema", row.name);
    } else if (row.on_kind === "column") {
      relation = row.name.slice(0, row.name.lastIndexOf("."));
      // View columns are not objects of their own: their grants go with the view.
      const kind = row.relkind ?? "r";
      parent =
        kind === "v" || kind === "m"
          ? objectKey(relationType(kind), relation)
          : objectKey("column", row.name);
    } else {
      parent = objectKey(
        row.on_kind === "sequence" ? "sequence" : relationType(row.relkind ?? "r"),
        row.name,
      );
    }
    if (row.on_kind === "schema" ? !filter.schema(schema) : !keep(schema, row.name, relation)) continue;
    const actual = grantsByGrantee(row.acl);
    const defaults = grantsByGrantee(row.default_acl);
    for (const grantee of new Set([...actual.keys(), ...defaults.keys()])) {
      const granted = actual.get(grantee) ?? [];
      if (granted.join(",") === (defaults.get(grantee) ?? []).join(",")) continue;
      add(
        "privilege",
        row.name,
        { on: row.on_kind, grantee, privileges: granted },
        {
          key: `privilege:${row.name}:${grantee}`,
          parent,
          ...(row.initial ? { origin: "initdb" as const } : {}),
        },
      );
    }
  }

  addViewDependencies(rows.viewDependencies, objects);
  return objects;
}

function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/**
 * The CREATE INDEX statement of the index behind a PRIMARY KEY or UNIQUE constraint, from the
 * constraint's definition: always btree, plain columns, optional INCLUDE / WITH / NULLS NOT
 * DISTINCT; deferrability belongs to the constraint and is left out.
 */
export function constraintIndexDefinition(index: string, table: string, constraint: string): string {
  const body = constraint
    .replace(/^(PRIMARY KEY|UNIQUE)\s+/, "")
    .replace(/\s+(NOT )?DEFERRABLE.*$/s, "")
    .replace(/\s+INITIALLY (DEFERRED|IMMEDIATE).*$/s, "");
  const [schema, ...rest] = table.split(".");
  return `CREATE UNIQUE INDEX ${quoteName(index)} ON ${quoteName(schema ?? "")}.${quoteName(rest.join("."))} USING btree ${body}`;
}

function grantsByGrantee(acl: readonly string[]): Map<string, string[]> {
  const grants = new Map<string, string[]>();
  for (const item of acl) {
    const { grantee, privileges } = parseAclItem(item);
    grants.set(grantee, [...(grants.get(grantee) ?? []), ...privileges].sort());
  }
  return grants;
}

function addViewDependencies(rows: CatalogRows["viewDependencies"], objects: Record<string, SchemaObject>) {
  const dependencies = new Map<SchemaObject, Set<string>>();
  for (const row of rows) {
    const view = objects[objectKey(relationType(row.view_kind), row.view_name)];
    if (!view) continue;
    let key: string | undefined;
    if (row.ref_catalog === "class") {
      const relationKey = objectKey(relationType(row.ref_kind ?? "r"), row.ref_name);
      const columnKey = row.ref_column ? objectKey("column", `${row.ref_name}.${row.ref_column}`) : undefined;
      key = columnKey && objects[columnKey] ? columnKey : relationKey;
    } else if (row.ref_catalog === "type") {
      key = objectKey(TYPE_KINDS[row.ref_type_kind ?? "c"] ?? "type", row.ref_name);
    } else if (row.ref_catalog === "proc") {
      key = objectKey(row.ref_proc_kind === "p" ? "procedure" : "function", row.ref_name);
    }
    if (!key) continue;
    let set = dependencies.get(view);
    if (!set) {
      set = new Set(view.dependsOn ?? []);
      dependencies.set(view, set);
    }
    set.add(key);
  }
  for (const [view, set] of dependencies) view.dependsOn = [...set].sort();
}
