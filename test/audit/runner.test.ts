import { describe, expect, it } from "vitest";
import type { AuditCheck, ConfigKeysSpec, DatabaseSpec, RdsSpec } from "../../audit/core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../audit/core/errors.ts";
import { makeFinding } from "../../audit/core/finding.ts";
import { runAudit } from "../../audit/drift/runner/index.ts";
import { parseAuditConfig } from "../../audit/parity-config/index.ts";
import { createTestDatabase } from "../support/databases.ts";
import { tempDirWith } from "./support/files.ts";
import { dotenvKeysCheck, registryOf, tablesCheck } from "./support/test-checks.ts";

const NOW = new Date("2026-11-21T00:00:00Z");

async function configIn(files: Record<string, string>) {
  const dir = await tempDirWith(files);
  return (yaml: string) => parseAuditConfig(yaml, { file: `${dir}/parity.config.yaml`, env: {} });
}

const THREE_DOTENV = `
baseline: production
environments:
  production: { config: { dotenv: { file: production.env } } }
  staging: { config: { dotenv: { file: staging.env } } }
  preview: { config: { dotenv: { file: preview.env } } }
`;

describe("runAudit", () => {
  it("no drift: exit code 0, every check passed", async () => {
    const load = await configIn({
      "production.env": "A=1\nB=2\n",
      "staging.env": "B=3\nA=4\n",
      "preview.env": "A=\nB=\n",
    });
    const result = await runAudit({
      config: load(THREE_DOTENV),
      registry: registryOf({ config: [dotenvKeysCheck] }),
      now: NOW,
    });
    expect(result.exitCode).toBe(0);
    expect(result.findings).toEqual([]);
    expect(result.targets).toEqual(["staging", "preview"]);
    expect(result.checks.map((c) => [c.environment, c.check, c.status])).toEqual([
      ["staging", "keys", "passed"],
      ["preview", "keys", "passed"],
    ]);
    expect(result.environments.map((e) => [e.name, e.role, e.status])).toEqual([
      ["production", "baseline", "ok"],
      ["staging", "target", "ok"],
      ["preview", "target", "ok"],
    ]);
  });

  it("drift: exit code 1, findings sorted and attributed to their check", async () => {
    const load = await configIn({
      "production.env": "A=1\nB=2\nC=3\n",
      "staging.env": "A=1\nEXTRA=1\n",
      "preview.env": "A=1\nB=2\nC=3\n",
    });
    const result = await runAudit({
      config: load(THREE_DOTENV),
      registry: registryOf({ config: [dotenvKeysCheck] }),
      now: NOW,
    });
    expect(result.exitCode).toBe(1);
    expect(result.findings.map((f) => `${f.location.environment} ${f.ruleId} ${f.location.object}`)).toEqual([
      "staging test/key-extra EXTRA",
      "staging test/key-missing B",
      "staging test/key-missing C",
    ]);
    expect(result.summary).toMatchObject({
      errors: 2,
      warnings: 1,
      ignored: 0,
      unreadable: 0,
      environments: 3,
    });
    expect(result.checks.find((c) => c.environment === "staging")?.status).toBe("failed");
    expect(result.checks.find((c) => c.environment === "preview")?.status).toBe("passed");
    expect(result.environments.find((e) => e.name === "staging")?.status).toBe("drift");
  });

  it("warnings alone do not fail the audit", async () => {
    const load = await configIn({
      "production.env": "A=1\n",
      "staging.env": "A=1\nEXTRA=1\n",
      "preview.env": "A=1\n",
    });
    const result = await runAudit({
      config: load(THREE_DOTENV),
      registry: registryOf({ config: [dotenvKeysCheck] }),
      now: NOW,
    });
    expect(result.summary.warnings).toBe(1);
    expect(result.exitCode).toBe(0);
  });

  it("the ignore list hides intentional drift; an expired entry brings it back and is reported", async () => {
    const files = { "production.env": "A=1\nB=2\n", "staging.env": "A=1\n", "preview.env": "A=1\nB=1\n" };
    const load = await configIn(files);
    const withIgnore = (until: string) =>
      load(`${THREE_DOTENV}
ignore:
  - { rule: "test/key-missing", object: "B", environment: staging, reason: "B is retired in staging first", until: ${until} }
  - { rule: "test/*", object: "NEVER_*", reason: "stale entry" }
`);
    const registry = registryOf({ config: [dotenvKeysCheck] });

    const active = await runAudit({ config: withIgnore("2026-12-01"), registry, now: NOW });
    expect(active.exitCode).toBe(0);
    expect(active.ignored.map((i) => [i.finding.location.object, i.entry.reason])).toEqual([
      ["B", "B is retired in staging first"],
    ]);
    expect(active.checks.find((c) => c.environment === "staging")).toMatchObject({
      status: "passed",
      ignoredCount: 1,
    });
    expect(active.findings.map((f) => [f.ruleId, f.severity, f.location.object])).toEqual([
      ["audit/ignore-unused", "warning", "ignore[1] test/* NEVER_*"],
    ]);

    const expired = await runAudit({ config: withIgnore("2026-11-20"), registry, now: NOW });
    expect(expired.exitCode).toBe(1);
    expect(expired.findings.map((f) => [f.ruleId, f.location.object])).toEqual([
      ["audit/ignore-unused", "ignore[1] test/* NEVER_*"], // (all environments) sorts first
      ["audit/ignore-expired", "ignore[0] test/key-missing B"],
      ["test/key-missing", "B"],
    ]);
  });

  it("an unreadable environment is an error for it (exit 2); the others are still audited", async () => {
    const load = await configIn({ "production.env": "A=1\nB=2\n", "preview.env": "A=1\n" });
    const result = await runAudit({
      config: load(THREE_DOTENV),
      registry: registryOf({ config: [dotenvKeysCheck] }),
      now: NOW,
    });
    expect(result.exitCode).toBe(2);
    expect(result.errors).toEqual([
      {
        environment: "staging",
        check: "keys",
        message: expect.stringMatching(/^staging: could not read dotenv .*staging\.env/),
      },
    ]);
    expect(result.checks.find((c) => c.environment === "staging")).toMatchObject({ status: "error" });
    expect(result.findings.map((f) => `${f.location.environment} ${f.location.object}`)).toEqual([
      "preview B",
    ]);
    expect(result.environments.map((e) => e.status)).toEqual(["ok", "error", "drift"]);
    expect(result.summary.unreadable).toBe(1);
  });

  it("an unreadable baseline makes every comparison an error, naming the baseline", async () => {
    const load = await configIn({ "staging.env": "A=1\n", "preview.env": "A=1\n" });
    const result = await runAudit({
      config: load(THREE_DOTENV),
      registry: registryOf({ config: [dotenvKeysCheck] }),
      now: NOW,
    });
    expect(result.exitCode).toBe(2);
    expect(result.errors.map((e) => e.environment)).toEqual(["production"]);
    expect(result.checks.map((c) => [c.environment, c.status, c.message])).toEqual([
      ["staging", "error", "not compared: the baseline (production) could not be read"],
      ["preview", "error", "not compared: the baseline (production) could not be read"],
    ]);
    expect(result.environments.map((e) => e.status)).toEqual(["error", "error", "error"]);
    expect(result.summary.unreadable).toBe(1);
  });

  it("reads every environment concurrently and the baseline once", async () => {
    const load = await configIn({});
    const config = load(`
baseline: prod
environments:
  prod: { config: { dotenv: { file: a } }, rds: { instance: prod } }
  e1: { config: { dotenv: { file: a } }, rds: { instance: e1 } }
  e2: { config: { dotenv: { file: a } }, rds: { instance: e2 } }
  e3: { config: { dotenv: { file: a } }, rds: { instance: e3 } }
`);
    let inFlight = 0;
    let maxInFlight = 0;
    const reads: string[] = [];
    const slow = <S>(id: string): AuditCheck<S, string> => ({
      id,
      async read(_spec, context) {
        reads.push(`${context.environment}/${id}`);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 150));
        inFlight -= 1;
        return context.environment;
      },
      compare: () => [],
    });
    const result = await runAudit({
      config,
      registry: registryOf({ config: [slow<ConfigKeysSpec>("config")], rds: [slow<RdsSpec>("rds")] }),
    });
    expect(result.exitCode).toBe(0);
    expect(maxInFlight).toBe(8);
    expect(reads.filter((read) => read.startsWith("prod/")).sort()).toEqual(["prod/config", "prod/rds"]);
    expect(result.checks).toHaveLength(6);
  });

  it("--env selects targets; an unknown name is bad input", async () => {
    const load = await configIn({ "production.env": "A=1\n", "staging.env": "", "preview.env": "A=1\n" });
    const registry = registryOf({ config: [dotenvKeysCheck] });
    const only = await runAudit({ config: load(THREE_DOTENV), registry, environments: ["preview"] });
    expect(only.targets).toEqual(["preview"]);
    expect(only.exitCode).toBe(0);
    const bad = await runAudit({
      config: load(THREE_DOTENV),
      registry,
      environments: ["prod", "production"],
    }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(ParityInputError);
    expect((bad as ParityInputError).problems).toEqual([
      expect.stringMatching(/^prod: not in .*parity\.config\.yaml \(known: production, staging, preview\)$/),
      "production: is the baseline; name the environments to compare with it (staging, preview)",
    ]);
  });

  it("a read that hangs becomes an error for its environment after the timeout, and is told to stop", async () => {
    const load = await configIn({
      "production.env": "A=1\n",
      "staging.env": "A=1\n",
      "preview.env": "A=1\n",
    });
    let aborted = false;
    const hangsForPreview: AuditCheck<ConfigKeysSpec, string> = {
      id: "hangs",
      read: (_spec, context) =>
        context.environment === "preview"
          ? new Promise<string>(() => {
              context.signal?.addEventListener("abort", () => {
                aborted = true;
              });
            })
          : Promise.resolve("ok"),
      compare: () => [],
    };
    const result = await runAudit({
      config: load(THREE_DOTENV),
      registry: registryOf({ config: [dotenvKeysCheck, hangsForPreview] }),
      readTimeoutMs: 100,
    });
    expect(result.exitCode).toBe(2);
    expect(result.errors).toEqual([
      {
        environment: "preview",
        check: "hangs",
        message: "preview: could not read hangs: no answer within 100ms; gave up",
      },
    ]);
    expect(aborted).toBe(true);
    expect(result.checks.map((c) => `${c.environment}/${c.check}:${c.status}`)).toEqual([
      "staging/keys:passed",
      "staging/hangs:passed",
      "preview/keys:passed",
      "preview/hangs:error",
    ]);
  });

  it("a check that reads all environments together runs once their sources are known, without waiting for other checks", async () => {
    const load = await configIn({
      "production.env": "A=1\n",
      "staging.env": "A=1\n",
      "preview.env": "A=1\n",
    });
    let readWith: string[] = [];
    let togetherSeen = () => {};
    const togetherRan = new Promise<void>((resolve) => {
      togetherSeen = resolve;
    });
    // Reads every environment at once, failing for preview; `read` alone would not be called.
    const twoStep: AuditCheck<ConfigKeysSpec, string> = {
      id: "two-step",
      read: async () => {
        throw new Error("read alone, not together");
      },
      async readTogether(specs, context) {
        readWith = [...specs.keys()];
        togetherSeen();
        expect(context.baseline).toBe("production");
        expect(context.signal).toBeDefined();
        return new Map(
          [...specs.keys()].map((name) => [
            name,
            name === "preview" ? new Error("the connection was dropped") : `done:${name}`,
          ]),
        );
      },
      compare: (baseline, target, context) =>
        baseline === "done:production" && target === `done:${context.target}`
          ? []
          : [
              makeFinding({
                ruleId: "test/unfinished",
                severity: "error",
                message: `${baseline} vs ${target}`,
                environment: context.target,
                objectType: "thing",
                object: "x",
              }),
            ],
    };
    // Staging's read of another check only ends once two-step has run: a runner that
    // waited for every read first would time this read out.
    const slow: AuditCheck<ConfigKeysSpec, string> = {
      id: "slow",
      read: async (_spec, context) => {
        if (context.environment === "staging") await togetherRan;
        return "ok";
      },
      compare: () => [],
    };
    const result = await runAudit({
      config: load(THREE_DOTENV),
      registry: registryOf({ config: [twoStep, slow] }),
      readTimeoutMs: 2000,
      now: NOW,
    });
    expect(readWith.sort()).toEqual(["preview", "production", "staging"]);
    expect(result.errors).toEqual([
      {
        environment: "preview",
        check: "two-step",
        message: "preview: could not read two-step: the connection was dropped",
      },
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.findings).toEqual([]);
    expect(result.checks.map((c) => `${c.environment}/${c.check}:${c.status}`)).toEqual([
      "staging/two-step:passed",
      "staging/slow:passed",
      "preview/two-step:error",
      "preview/slow:passed",
    ]);
  });

  it("a joint read that throws is an error for every environment it was given", async () => {
    const load = await configIn({
      "production.env": "A=1\n",
      "staging.env": "A=1\n",
      "preview.env": "A=1\n",
    });
    const broken: AuditCheck<ConfigKeysSpec, string> = {
      id: "broken",
      read: async () => "open",
      readTogether: async () => {
        throw new EnvironmentReadError("all", "joint read", "server went away");
      },
      compare: () => [],
    };
    const result = await runAudit({
      config: load(THREE_DOTENV),
      registry: registryOf({ config: [broken] }),
      now: NOW,
    });
    expect(result.exitCode).toBe(2);
    expect(result.errors.map((error) => error.environment).sort()).toEqual([
      "preview",
      "production",
      "staging",
    ]);
    expect(result.checks.map((c) => c.status)).toEqual(["error", "error"]);
  });

  it("a compare that throws is an error for that environment, reported as a bug", async () => {
    const load = await configIn({
      "production.env": "A=1\n",
      "staging.env": "A=1\n",
      "preview.env": "A=1\n",
    });
    const broken: AuditCheck<ConfigKeysSpec, null> = {
      id: "broken",
      read: async () => null,
      compare: () => {
        throw new Error("boom");
      },
    };
    const result = await runAudit({
      config: load(THREE_DOTENV),
      registry: registryOf({ config: [dotenvKeysCheck, broken] }),
    });
    expect(result.exitCode).toBe(2);
    expect(result.errors.map((e) => [e.environment, e.check])).toEqual([
      ["staging", "broken"],
      ["preview", "broken"],
    ]);
    expect(result.errors[0]?.message).toMatch(/this is a bug in the broken check.*boom/);
    expect(result.checks.filter((c) => c.check === "keys").map((c) => c.status)).toEqual([
      "passed",
      "passed",
    ]);
  });

  it("pulumi discovery fills in rds and config; a failing stack is an error for that environment", async () => {
    const load = await configIn({});
    const config = load(`
baseline: prod
environments:
  prod: { pulumi: { stack: shop/production } }
  staging: { pulumi: { stack: shop/staging } }
  broken: { pulumi: { stack: shop/broken } }
`);
    const seen: RdsSpec[] = [];
    const rdsIds: AuditCheck<RdsSpec, string> = {
      id: "rds",
      read: async (spec) => {
        seen.push(spec);
        return spec.instance ?? spec.cluster ?? "";
      },
      compare: (base, target, context) =>
        base === target.replace("staging", "production")
          ? []
          : [
              makeFinding({
                ruleId: "t/x",
                severity: "error",
                message: "m",
                environment: context.target,
                objectType: "x",
                object: target,
              }),
            ],
    };
    const result = await runAudit({
      config,
      registry: registryOf({ rds: [rdsIds] }),
      discover: async (environment, spec) => {
        if (spec.stack === "shop/broken")
          throw new EnvironmentReadError(environment, `Pulumi stack ${spec.stack}`, "no such stack");
        const tier = spec.stack.split("/")[1];
        return { outputs: {}, rds: { cluster: `shop-${tier}`, region: "eu-west-1" } };
      },
    });
    expect(seen).toContainEqual({ cluster: "shop-production", region: "eu-west-1" });
    expect(result.checks.map((c) => [c.environment, c.status])).toEqual([
      ["staging", "passed"],
      // Not "broken declares no rds": its stack, which would say, could not be read.
      ["broken", "error"],
    ]);
    expect(result.checks[1]?.message).toMatch(
      /^not compared: the rds of broken could not be resolved \(.*no such stack\)$/,
    );
    expect(result.errors).toEqual([
      {
        environment: "broken",
        check: "pulumi-discovery",
        message: "broken: could not read Pulumi stack shop/broken: no such stack",
      },
    ]);
    expect(result.exitCode).toBe(2);
  });
});

describe("runAudit with stack outputs in database URLs", () => {
  it("fills pulumi.databaseEndpoint references from the discovered outputs; a failed discovery drops that database", async () => {
    const load = await configIn({});
    const config = load(`
baseline: prod
environments:
  prod:
    pulumi: { stack: shop/production }
    database: { url: "postgres://audit@\${pulumi.databaseEndpoint}/shop" }
  staging:
    pulumi: { stack: shop/staging }
    database: { url: "postgres://audit@\${pulumi.databaseEndpoint}/shop" }
  broken:
    pulumi: { stack: shop/broken }
    database: { url: "postgres://audit@\${pulumi.databaseEndpoint}/shop" }
`);
    const urls: string[] = [];
    const recordUrl: AuditCheck<DatabaseSpec, string> = {
      id: "urls",
      read: async (spec) => {
        urls.push(spec.url);
        return spec.url;
      },
      compare: () => [],
    };
    const result = await runAudit({
      config,
      registry: registryOf({ database: [recordUrl] }),
      discover: async (environment, spec) => {
        if (spec.stack === "shop/broken") {
          throw new EnvironmentReadError(environment, `Pulumi stack ${spec.stack}`, "no such stack");
        }
        const tier = spec.stack.split("/")[1];
        return { outputs: { databaseEndpoint: `${tier}-db.internal:5432` } };
      },
    });
    expect(urls.sort()).toEqual([
      "postgres://audit@production-db.internal:5432/shop",
      "postgres://audit@staging-db.internal:5432/shop",
    ]);
    expect(result.checks.map((c) => `${c.environment}/${c.check}:${c.status}`)).toEqual([
      "staging/urls:passed",
      "broken/urls:error",
    ]);
    expect(result.checks[1]?.message).toMatch(/^not compared: the database of broken could not be resolved/);
    expect(result.errors.map((e) => [e.environment, e.check])).toEqual([["broken", "pulumi-discovery"]]);
  });
});

describe("runAudit against real PostgreSQL", () => {
  it("an unreachable database is an error for it while the others are compared", async () => {
    const production = await createTestDatabase(
      15,
      "create table orders(id int); create table customers(id int);",
    );
    const staging = await createTestDatabase(13, "create table orders(id int);");
    const load = await configIn({});
    const config = load(`
baseline: production
environments:
  production: { database: { url: "${production.url}" } }
  staging: { database: { url: "${staging.url}" } }
  gone: { database: { url: "postgres://postgres@127.0.0.1:1/nothing" } }
`);
    const result = await runAudit({ config, registry: registryOf({ database: [tablesCheck] }) });
    expect(result.exitCode).toBe(2);
    expect(result.findings.map((f) => `${f.location.environment} ${f.location.object}`)).toEqual([
      "staging public.customers",
    ]);
    expect(result.errors).toEqual([
      {
        environment: "gone",
        check: "tables",
        message: expect.stringMatching(/^gone: could not read tables: .*ECONNREFUSED/),
      },
    ]);
  });
});
