// The engine and schema rules on pure inputs: hand-built snapshots through the real differ, as tables
// of valid and invalid cases (test/support/rule-tester.ts). The real-server tests beside this file
// show the same rules on what PostgreSQL 13 and 15 actually report.
import type { SchemaRuleContext } from "../../audit/drift/checks/database/rule-context.ts";
import { engineDefaultPrivilege } from "../../audit/drift/rules/engine/default-privilege.ts";
import { engineExtensionVersion } from "../../audit/drift/rules/engine/extension-version.ts";
import { engineLocale } from "../../audit/drift/rules/engine/locale.ts";
import { engineMajorVersion } from "../../audit/drift/rules/engine/major-version.ts";
import { engineMinorVersion } from "../../audit/drift/rules/engine/minor-version.ts";
import { engineSetting } from "../../audit/drift/rules/engine/setting.ts";
import { schemaChanged } from "../../audit/drift/rules/schema/changed.ts";
import { schemaDependent } from "../../audit/drift/rules/schema/dependent.ts";
import { schemaExtra } from "../../audit/drift/rules/schema/extra.ts";
import { schemaMissing } from "../../audit/drift/rules/schema/missing.ts";
import { diffModels } from "../../audit/schema/differ.ts";
import {
  type DatabaseSnapshot,
  type EngineFacts,
  type ObjectType,
  objectKey,
  type PropValue,
  type SchemaObject,
  type SettingValue,
} from "../../audit/schema/model.ts";
import { testRule } from "../support/rule-tester.ts";

const ENGINE: EngineFacts = {
  versionNum: 150018,
  major: 15,
  minor: 18,
  version: "15.18",
  encoding: "UTF8",
  collate: "en_US.UTF-8",
  ctype: "en_US.UTF-8",
  localeProvider: "libc",
  iculocale: null,
};

function object(
  objectType: ObjectType,
  name: string,
  props: Record<string, PropValue> = {},
  extra: Partial<SchemaObject> = {},
): SchemaObject {
  return { key: objectKey(objectType, name), objectType, name, props, ...extra };
}

interface Side {
  objects?: SchemaObject[];
  engine?: Partial<EngineFacts>;
  settings?: Record<string, SettingValue>;
}

function snapshot(side: Side): DatabaseSnapshot {
  return {
    engine: { ...ENGINE, ...side.engine },
    settings: side.settings ?? {},
    objects: Object.fromEntries((side.objects ?? []).map((o) => [o.key, o])),
  };
}

/** production against staging, with the differ's result computed once as the check does. */
function pair(baselineSide: Side, targetSide: Side): SchemaRuleContext {
  const baseline = snapshot(baselineSide);
  const target = snapshot(targetSide);
  return {
    baseline,
    target,
    diffs: diffModels(baseline.objects, target.objects),
    environments: { baseline: "production", target: "staging" },
  };
}

const orders = object("table", "public.orders", { owner: "app" });
const email = object(
  "column",
  "public.orders.email",
  { type: "text", notNull: false },
  { parent: orders.key },
);
const note = object("column", "public.orders.note", { type: "text" }, { parent: orders.key });
const ordersIdx = object(
  "index",
  "public.orders_email_idx",
  { definition: "CREATE INDEX … (email)" },
  {
    parent: orders.key,
  },
);
const same = pair({ objects: [orders, email] }, { objects: [orders, email] });

testRule(schemaMissing, {
  valid: [
    { name: "identical", context: same },
    {
      name: "an extra object is schema/extra's",
      context: pair({ objects: [orders] }, { objects: [orders, email] }),
    },
  ],
  invalid: [
    {
      name: "a missing table is one finding listing what goes with it",
      context: pair({ objects: [orders, email, ordersIdx] }, { objects: [] }),
      findings: [
        {
          messageId: "missing",
          message: "table public.orders exists in production but not in staging (with 1 column, 1 index)",
          severity: "error",
          objectType: "table",
          object: "public.orders",
          environment: "staging",
          expected: {
            owner: "app",
            contains: ["column public.orders.email", "index public.orders_email_idx"],
          },
        },
      ],
    },
    {
      name: "a missing column of a table both have",
      context: pair({ objects: [orders, email] }, { objects: [orders] }),
      findings: [
        {
          messageId: "missing",
          data: {
            object: "column public.orders.email",
            baseline: "production",
            target: "staging",
            contents: "",
          },
          severity: "error",
          objectType: "column",
          object: "public.orders.email",
          expected: { type: "text", notNull: false },
        },
      ],
    },
  ],
});

testRule(schemaExtra, {
  valid: [
    { name: "identical", context: same },
    {
      name: "a missing object is schema/missing's",
      context: pair({ objects: [orders, email] }, { objects: [orders] }),
    },
  ],
  invalid: [
    {
      name: "a column only the target has",
      context: pair({ objects: [orders] }, { objects: [orders, note] }),
      findings: [
        {
          messageId: "extra",
          message: "column public.orders.note exists in staging but not in production",
          severity: "error",
          objectType: "column",
          object: "public.orders.note",
          actual: { type: "text" },
        },
      ],
    },
  ],
});

const emailVarchar = { ...email, props: { type: "character varying(200)", notNull: true } };
const view = (definition: string) =>
  object("view", "public.order_emails", { definition }, { dependsOn: [email.key] });

testRule(schemaChanged, {
  valid: [
    { name: "identical", context: same },
    {
      name: "an extension's version alone is engine/extension-version's",
      context: pair(
        { objects: [object("extension", "hstore", { version: "1.8", schema: "public" })] },
        { objects: [object("extension", "hstore", { version: "1.7", schema: "public" })] },
      ),
    },
    {
      name: "initdb defaults on both sides are engine/default-privilege's",
      context: pair(
        { objects: [object("privilege", "public", { privileges: ["USAGE"] }, { origin: "initdb" })] },
        {
          objects: [object("privilege", "public", { privileges: ["CREATE", "USAGE"] }, { origin: "initdb" })],
        },
      ),
    },
  ],
  invalid: [
    {
      name: "properties that differ, each named with both values",
      context: pair({ objects: [orders, email] }, { objects: [orders, emailVarchar] }),
      findings: [
        {
          messageId: "differs",
          message:
            "column public.orders.email differs: type text → character varying(200); notNull false → true",
          severity: "error",
          objectType: "column",
          object: "public.orders.email",
          expected: { type: "text", notNull: false },
          actual: { type: "character varying(200)", notNull: true },
        },
      ],
    },
    {
      name: "a changed definition comes with a diff",
      context: pair(
        { objects: [view("SELECT email FROM orders")] },
        { objects: [view("SELECT lower(email) FROM orders")] },
      ),
      findings: [
        {
          messageId: "differs",
          data: { object: "view public.order_emails", changes: "definition (see diff)" },
          severity: "error",
          object: "public.order_emails",
        },
      ],
    },
  ],
});

testRule(schemaDependent, {
  valid: [
    { name: "identical", context: same },
    {
      name: "a changed view is not its own dependent",
      context: pair({ objects: [email, view("a")] }, { objects: [email, view("b")] }),
    },
  ],
  invalid: [
    {
      name: "an unchanged view over a changed column",
      context: pair({ objects: [orders, email, view("v")] }, { objects: [orders, emailVarchar, view("v")] }),
      findings: [
        {
          messageId: "dependsOnChanged",
          message:
            "view public.order_emails is unchanged but depends on column public.orders.email, which differs",
          severity: "info",
          objectType: "view",
          object: "public.order_emails",
        },
      ],
    },
  ],
});

const publicCreate = (privileges: string[], origin?: "initdb") =>
  object(
    "privilege",
    "public",
    { grantee: "PUBLIC", on: "schema", privileges },
    { key: "privilege:public:PUBLIC", ...(origin ? { origin } : {}) },
  );

testRule(engineDefaultPrivilege, {
  valid: [
    {
      name: "same defaults",
      context: pair(
        { objects: [publicCreate(["USAGE"], "initdb")] },
        { objects: [publicCreate(["USAGE"], "initdb")] },
      ),
    },
    {
      name: "a grant someone made is schema/changed's",
      context: pair({ objects: [publicCreate(["USAGE"])] }, { objects: [publicCreate(["CREATE", "USAGE"])] }),
    },
  ],
  invalid: [
    {
      name: "PUBLIC's CREATE on schema public before PostgreSQL 15",
      context: pair(
        { objects: [publicCreate(["USAGE"], "initdb")] },
        { objects: [publicCreate(["CREATE", "USAGE"], "initdb")] },
      ),
      findings: [
        {
          messageId: "differs",
          message:
            "built-in privileges of PUBLIC on schema public are [CREATE, USAGE] in staging, [USAGE] in production (initdb defaults of each server)",
          severity: "warning",
          objectType: "privilege",
          object: "public",
          expected: ["USAGE"],
          actual: ["CREATE", "USAGE"],
        },
      ],
    },
  ],
});

const hstore = (version: string) => object("extension", "hstore", { version, schema: "public" });

testRule(engineExtensionVersion, {
  valid: [
    { name: "same version", context: pair({ objects: [hstore("1.8")] }, { objects: [hstore("1.8")] }) },
    {
      name: "another property of the extension is schema/changed's",
      context: pair(
        { objects: [hstore("1.8")] },
        { objects: [{ ...hstore("1.8"), props: { version: "1.8", schema: "ext" } }] },
      ),
    },
  ],
  invalid: [
    {
      name: "an older contrib package",
      context: pair({ objects: [hstore("1.8")] }, { objects: [hstore("1.7")] }),
      findings: [
        {
          messageId: "differs",
          message: "extension hstore is at version 1.7 in staging, 1.8 in production",
          severity: "warning",
          objectType: "extension",
          object: "hstore",
          expected: "1.8",
          actual: "1.7",
        },
      ],
    },
  ],
});

testRule(engineLocale, {
  valid: [
    { name: "same locale", context: same },
    { name: "versions are not locale", context: pair({}, { engine: { major: 13, minor: 2 } }) },
  ],
  invalid: [
    {
      name: "collation and ctype C, in the facts' order",
      context: pair({}, { engine: { ctype: "C", collate: "C" } }),
      findings: [
        {
          messageId: "differs",
          message: "database collate is C in staging, en_US.UTF-8 in production",
          severity: "error",
          objectType: "database-locale",
          object: "collate",
          expected: "en_US.UTF-8",
          actual: "C",
        },
        { messageId: "differs", severity: "error", object: "ctype", expected: "en_US.UTF-8", actual: "C" },
      ],
    },
    {
      name: "an ICU database",
      context: pair({}, { engine: { localeProvider: "icu", iculocale: "en-US" } }),
      findings: [
        { messageId: "differs", severity: "error", object: "localeProvider" },
        {
          messageId: "differs",
          message: "database iculocale is en-US in staging, null in production",
          severity: "error",
          object: "iculocale",
          expected: null,
          actual: "en-US",
        },
      ],
    },
  ],
});

testRule(engineMajorVersion, {
  valid: [
    { name: "same release", context: same },
    {
      name: "a minor apart is engine/minor-version's",
      context: pair({}, { engine: { minor: 12, version: "15.12" } }),
    },
  ],
  invalid: [
    {
      name: "PostgreSQL 13 in staging",
      context: pair({}, { engine: { major: 13, minor: 23, version: "13.23" } }),
      findings: [
        {
          messageId: "differs",
          message: "PostgreSQL 13 in staging, 15 in production",
          severity: "error",
          objectType: "server-version",
          object: "server_version",
          expected: "15.18",
          actual: "13.23",
        },
      ],
    },
  ],
});

testRule(engineMinorVersion, {
  valid: [
    { name: "same release", context: same },
    {
      name: "a major apart is engine/major-version's",
      context: pair({}, { engine: { major: 13, minor: 12 } }),
    },
  ],
  invalid: [
    {
      name: "a patch release behind",
      context: pair({}, { engine: { minor: 12, version: "15.12" } }),
      findings: [
        {
          messageId: "differs",
          message: "PostgreSQL 15.12 in staging, 15.18 in production",
          severity: "warning",
          object: "server_version",
          expected: "15.18",
          actual: "15.12",
        },
      ],
    },
  ],
});

const setting = (value: string, flags: Partial<SettingValue> = {}): SettingValue => ({
  value,
  unit: null,
  nonDefault: false,
  watched: false,
  ...flags,
});

testRule(engineSetting, {
  valid: [
    {
      name: "same values",
      context: pair(
        { settings: { work_mem: setting("4096", { watched: true }) } },
        { settings: { work_mem: setting("4096", { watched: true }) } },
      ),
    },
    {
      name: "an unwatched setting at its default on both sides",
      context: pair({ settings: { geqo_seed: setting("0") } }, { settings: { geqo_seed: setting("0.5") } }),
    },
    {
      name: "a setting only one server has",
      context: pair({ settings: { new_in_15: setting("on", { watched: true }) } }, {}),
    },
  ],
  invalid: [
    {
      name: "a watched setting, with its unit, and a non-default one, by name",
      context: pair(
        { settings: { work_mem: setting("4096", { unit: "kB", watched: true }), jit: setting("on") } },
        {
          settings: {
            work_mem: setting("65536", { unit: "kB", watched: true }),
            jit: setting("off", { nonDefault: true }),
          },
        },
      ),
      findings: [
        {
          messageId: "differs",
          message: "setting jit is off in staging, on in production",
          severity: "warning",
          object: "jit",
        },
        {
          messageId: "differs",
          message: "setting work_mem is 65536 (unit kB) in staging, 4096 (unit kB) in production",
          severity: "warning",
          objectType: "setting",
          object: "work_mem",
          expected: "4096 (unit kB)",
          actual: "65536 (unit kB)",
        },
      ],
    },
  ],
});
