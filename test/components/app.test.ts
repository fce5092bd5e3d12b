// The shared app definition: one engine pin, one parameter set, declared tier differences.
import { describe, expect, it } from "vitest";
import {
  type AppDefinition,
  defineApp,
  engineSpec,
  parameterValues,
  validateApp,
} from "../../components/app.ts";
import { declaredDifferences, resolveTierSettings, TIER_SETTINGS } from "../../components/tiers.ts";
import { testApp } from "./support/fixtures.ts";

describe.each([
  [
    { kind: "instance", engineVersion: "15.10" },
    { engine: "postgres", version: "15.10", family: "postgres15" },
  ],
  [
    { kind: "cluster", engineVersion: "16.4" },
    { engine: "aurora-postgresql", version: "16.4", family: "aurora-postgresql16" },
  ],
] as const)("engineSpec(%j)", (database, expected) => {
  it(`is ${expected.engine} ${expected.version}`, () => expect(engineSpec(database)).toEqual(expected));
});

describe.each([
  [(app: AppDefinition) => ({ ...app, name: "Shop!" }), /name "Shop!"/],
  [
    (app: AppDefinition) => ({ ...app, database: { ...app.database, engineVersion: "15" } }),
    /pin a full major.minor version/,
  ],
  [
    (app: AppDefinition) => ({ ...app, database: { ...app.database, parameters: { "bad name": "1" } } }),
    /parameters.bad name/,
  ],
  [
    (app: AppDefinition) => ({ ...app, database: { ...app.database, extensions: ["pg-trgm"] } }),
    /"pg-trgm" is not an extension name/,
  ],
  [
    (app: AppDefinition) => ({ ...app, configKeys: { "database-port": { description: "x" } } }),
    /configKeys.database-port: reserved/,
  ],
  [
    (app: AppDefinition) => ({ ...app, tiers: { qa: {} } as AppDefinition["tiers"] }),
    /tiers.qa: unknown tier/,
  ],
])("validateApp case %#", (mutate, message) => {
  it(`reports ${message}`, () => {
    const problems = validateApp(mutate(testApp()));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe("defineApp", () => {
  it("returns a valid definition unchanged", () => {
    const app = testApp();
    expect(defineApp(app)).toBe(app);
  });
  it("throws every problem at once", () => {
    expect(() =>
      defineApp({ ...testApp(), name: "", database: { ...testApp().database, engineVersion: "latest" } }),
    ).toThrow(/name ""[\s\S]*engineVersion "latest"/);
  });
});

describe("parameterValues", () => {
  it.each([
    [[], {}, {}],
    [["pg_stat_statements"], {}, { shared_preload_libraries: "pg_stat_statements" }],
    [
      ["pgaudit", "citext", "pg_stat_statements"],
      {},
      { shared_preload_libraries: "pg_stat_statements,pgaudit" },
    ],
    [
      ["pg_stat_statements"],
      { shared_preload_libraries: "auto_explain" },
      { shared_preload_libraries: "auto_explain,pg_stat_statements" },
    ],
  ])("extensions %j over %j", (extensions, parameters, expected) => {
    expect(parameterValues({ ...testApp().database, extensions, parameters })).toEqual(expected);
  });
});

describe("declared tier differences", () => {
  it("are exactly the settings the table makes differ", () => {
    expect(declaredDifferences().sort()).toEqual(
      [
        "applyImmediately",
        "backupRetentionDays",
        "clusterInstanceCount",
        "data",
        "deletionProtection",
        "instanceClass",
        "multiAz",
        "performanceInsights",
        "skipFinalSnapshot",
      ].sort(),
    );
  });
  it("never include public access (no tier is public by default)", () => {
    expect(declaredDifferences()).not.toContain("publiclyAccessible");
  });
  it("take the app's overrides over the defaults", () => {
    expect(resolveTierSettings("staging", { instanceClass: "db.r6g.large" })).toEqual({
      ...TIER_SETTINGS.staging,
      instanceClass: "db.r6g.large",
    });
  });
});
