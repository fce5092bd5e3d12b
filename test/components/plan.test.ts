// planEnvironment: the whole validation of an Environment's args, without the Pulumi runtime.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { type EnvironmentArgs, planEnvironment } from "../../components/environment.ts";
import { FIXED_NOW, testApp, tierArgs } from "./support/fixtures.ts";

describe.each([
  ["production", "instance", "shop-production", "shop-production-postgres15", undefined],
  [
    "staging",
    "instance",
    "shop-staging",
    "shop-staging-postgres15",
    { from: "snapshot", productionIdentifier: "shop-production" },
  ],
  [
    "staging",
    "cluster",
    "shop-staging",
    "shop-staging-aurora-postgresql15",
    { from: "clone", productionIdentifier: "shop-production" },
  ],
  [
    "preview",
    "cluster",
    "shop-pv-feature-login-page-1cd8fc",
    "shop-pv-feature-login-page-1cd8fc-aurora-postgresql15",
    { from: "clone" },
  ],
] as const)("plan for %s (%s)", (tier, kind, identifier, parameterGroupName, source) => {
  it(`builds ${identifier}`, () => {
    const { plan, problems } = planEnvironment("env", tierArgs(tier, testApp(kind)), FIXED_NOW);
    expect(problems).toEqual([]);
    expect(plan?.identifier).toBe(identifier);
    expect(plan?.parameterGroupName).toBe(parameterGroupName);
    if (source === undefined) expect(plan?.source).toBeUndefined();
    else expect(plan?.source).toMatchObject(source);
  });
});

it("rejects a plain-text masking key", () => {
  const args = tierArgs("staging", testApp("instance"));
  const { problems } = planEnvironment(
    "env",
    { ...args, masking: { rulesFile: "r.yaml", key: "plain" } },
    FIXED_NOW,
  );
  expect(problems).toEqual([
    "staging: masking.key must be a Pulumi secret (the same key in every clone), not plain text",
  ]);
});

const argCases: [string, (args: EnvironmentArgs) => EnvironmentArgs, string][] = [
  ["branch on staging", (a) => ({ ...a, branch: "main" }), "staging: branch is only for previews"],
  ["TTL on staging", (a) => ({ ...a, previewTtlDays: 3 }), "staging: previewTtlDays is only for previews"],
  [
    "clone on production",
    (a) => ({ ...a, tier: "production", masking: undefined, clone: { generation: 2 } }),
    "production: clone is for non-production tiers; production is never a copy",
  ],
  [
    "restoreToTime on an instance",
    (a) => ({ ...a, clone: { restoreToTime: "2026-01-01T00:00:00Z" } }),
    "staging: clone.restoreToTime is for Aurora clones; RDS instances restore a snapshot",
  ],
  [
    "reserved tags",
    (a) => ({ ...a, tags: { "parity:tier": "production" } }),
    'tags.parity:tier: tags starting with "parity:" are set by the component',
  ],
  [
    "plain master password",
    (a) => ({ ...a, masterPassword: "hunter2" }),
    "masterPassword must be a Pulumi secret, not plain text",
  ],
  [
    "an adopted production identifier reused",
    (a) => ({
      ...a,
      app: { ...a.app, production: { databaseIdentifier: "legacy-db" } },
      config: { ...a.config, "feature-flags": "legacy-db" },
    }),
    'staging: config key feature-flags "legacy-db" references production\'s database ("legacy-db")',
  ],
  [
    "a masking key kept under production's path",
    (a) => ({
      ...a,
      masking: { rulesFile: "r.yaml", key: pulumi.secret("k"), keyReference: "/shop/production/masking-key" },
    }),
    'staging: reference "/shop/production/masking-key" references production\'s parameter path ("/shop/production/")',
  ],
];

describe.each(argCases)("planEnvironment rejects %s", (_label, mutate, problem) => {
  it("with a message naming it", () => {
    const { plan, problems } = planEnvironment(
      "env",
      mutate(tierArgs("staging", testApp("instance"))),
      FIXED_NOW,
    );
    expect(plan).toBeUndefined();
    expect(problems).toContain(problem);
  });
});

it("rejects snapshot options on Aurora", () => {
  const { problems } = planEnvironment(
    "env",
    tierArgs("staging", testApp("cluster"), { clone: { snapshotIdentifier: "snap" } }),
    FIXED_NOW,
  );
  expect(problems).toEqual([
    "staging: clone.snapshotIdentifier/snapshotType are for RDS instances; Aurora is cloned from the cluster",
  ]);
});
