// The masking gate's provider: what it runs, what it records, when it re-masks, and that the
// serialized provider (what Pulumi stores in the stack and runs in its own process) works alone.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { MaskingGateInputs, MaskingRequest, MaskingResult } from "../../components/masking-gate.ts";
import { installMocks, type Recorder, resolved } from "./support/mocks.ts";

let gate: typeof import("../../components/masking-gate.ts");
let mocks: Recorder;

beforeAll(async () => {
  mocks = await installMocks();
  gate = await import("../../components/masking-gate.ts");
});

const INPUTS: MaskingGateInputs = {
  databaseIdentifier: "shop-staging",
  databaseResourceId: "db-ABC",
  host: "shop-staging.example.eu-west-1.rds.amazonaws.com",
  port: 5432,
  databaseName: "shop",
  username: "shop_admin",
  password: "p@ss/word:1",
  rulesFile: "/repo/masking.yaml",
  rulesDigest: "d1",
  key: "masking-key",
  command: ["node", "worker.ts"],
  cwd: "/repo",
  sslMode: "no-verify",
};

function fakeRunner(result: MaskingResult | Error) {
  const requests: MaskingRequest[] = [];
  return {
    requests,
    runner: {
      async mask(request: MaskingRequest) {
        requests.push(request);
        if (result instanceof Error) throw result;
        return result;
      },
    },
  };
}

describe("create", () => {
  it("masks the new database through the runner and records what it did, without secrets", async () => {
    const { runner, requests } = fakeRunner({ tables: 4, rows: 1234, durationMs: 50 });
    const created = await gate.maskingGateProvider(runner).create({ ...INPUTS });
    expect(requests).toEqual([
      {
        databaseUrl:
          "postgresql://shop_admin:p%40ss%2Fword%3A1@shop-staging.example.eu-west-1.rds.amazonaws.com:5432/shop?sslmode=no-verify",
        rulesFile: "/repo/masking.yaml",
        key: "masking-key",
        command: ["node", "worker.ts"],
        cwd: "/repo",
      },
    ]);
    expect(created.id).toBe("shop-staging/db-ABC");
    expect(created.outs).toMatchObject({
      host: INPUTS.host,
      port: 5432,
      tablesMasked: 4,
      rowsMasked: 1234,
      rulesDigest: "d1",
    });
    expect(JSON.stringify(created.outs)).not.toMatch(/p@ss|masking-key/);
  });

  it.each([
    [
      "masks nothing",
      { tables: 0, rows: 0, durationMs: 1 },
      /masked no table.*refusing to publish an unmasked clone/,
    ],
    [
      "fails",
      new Error("relation public.customers does not exist"),
      /relation public.customers does not exist/,
    ],
  ])("refuses to hand out the clone when masking %s", async (_label, result, message) => {
    const { runner } = fakeRunner(result);
    await expect(gate.maskingGateProvider(runner).create({ ...INPUTS })).rejects.toThrow(message);
  });
});

describe("a rules change on an existing clone", () => {
  const masked = {
    ...INPUTS,
    keyFingerprint: "hmac-sha256:ac9c2b07962984f8",
    maskedAt: "2026-01-01T00:00:00Z",
    tablesMasked: 1,
    rowsMasked: 10,
    maskedColumns: { "public.customers.email": "email", "public.customers.note": "keep" },
  };
  const ruled = (extra: Record<string, string>) => ({
    ...INPUTS,
    rulesDigest: "d2",
    ruledColumns: { "public.customers.email": "email", "public.customers.note": "keep", ...extra },
  });

  it("masks only the newly ruled columns, with the same key, and records them", async () => {
    const { runner, requests } = fakeRunner({ tables: 1, rows: 10, durationMs: 1 });
    const news = ruled({ "public.customers.phone": "phone", "public.customers.note": "redact" });
    const updated = await gate.maskingGateProvider(runner).update?.("shop-staging/db-ABC", masked, news);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      key: "masking-key",
      columns: ["public.customers.note", "public.customers.phone"],
    });
    expect(updated?.outs).toMatchObject({
      rulesDigest: "d2",
      maskedAt: "2026-01-01T00:00:00Z",
      maskedColumns: {
        "public.customers.email": "email",
        "public.customers.note": "redact",
        "public.customers.phone": "phone",
      },
    });
  });

  it("fails naming the columns whose rule changed after they were masked, masking nothing", async () => {
    const { runner, requests } = fakeRunner({ tables: 1, rows: 10, durationMs: 1 });
    const news = ruled({ "public.customers.email": "redact", "public.customers.phone": "phone" });
    await expect(
      gate.maskingGateProvider(runner).update?.("shop-staging/db-ABC", masked, news),
    ).rejects.toThrow(
      /rules changed for columns already masked: public\.customers\.email \(email → redact\).*parity:cloneGeneration/,
    );
    expect(requests).toEqual([]);
  });

  it("fails when the rules changed on a clone masked before columns were recorded", async () => {
    const { runner } = fakeRunner({ tables: 1, rows: 10, durationMs: 1 });
    const { maskedColumns: _none, ...legacy } = masked;
    await expect(
      gate.maskingGateProvider(runner).update?.("shop-staging/db-ABC", legacy, ruled({})),
    ).rejects.toThrow(/predates parity's record of masked columns/);
  });

  it("needs no masking run when only comments or safe marks changed", async () => {
    const { runner, requests } = fakeRunner({ tables: 1, rows: 10, durationMs: 1 });
    const news = ruled({ "public.customers.verified": "safe" });
    const updated = await gate.maskingGateProvider(runner).update?.("id", masked, news);
    expect(requests).toEqual([]);
    expect(updated?.outs.maskedColumns).toMatchObject({ "public.customers.verified": "safe" });
  });

  it.each([
    [{}, { a: "email" }, ["a"], []],
    [{ a: "keep" }, { a: "email" }, ["a"], []],
    [{ a: "email" }, { a: "email" }, [], []],
    [{ a: "email" }, { a: "name" }, [], ["a (email → name)"]],
    [{ a: 'fixed:"0"' }, { a: 'fixed:"1"' }, [], ['a (fixed:"0" → fixed:"1")']],
    [{ a: "email" }, { a: "keep" }, [], []],
    [{ a: "email" }, {}, [], []],
  ])("planRemask(%j, %j)", (before, after, toMask, conflicts) => {
    expect(gate.planRemask(before, after)).toEqual({ toMask, conflicts });
  });
});

describe("diff and update", () => {
  const provider = () => gate.maskingGateProvider(fakeRunner({ tables: 1, rows: 1, durationMs: 1 }).runner);
  const olds = {
    ...INPUTS,
    keyFingerprint: "hmac-sha256:ac9c2b07962984f8",
    maskedAt: "2026-01-01T00:00:00Z",
    tablesMasked: 3,
    rowsMasked: 10,
  };

  it("computes the key fingerprint exactly as the masking library records it", async () => {
    const { keyFingerprint } = await import("../../audit/masking/marker.ts");
    expect(gate.gateKeyFingerprint("masking-key")).toBe(keyFingerprint("masking-key"));
    expect(gate.gateKeyFingerprint("masking-key")).toBe(olds.keyFingerprint);
    expect(gate.gateKeyFingerprint("other")).not.toBe(olds.keyFingerprint);
  });

  it.each([
    ["a replaced database", { databaseResourceId: "db-NEW" }, ["databaseResourceId"]],
    ["a new identifier", { databaseIdentifier: "shop-staging-g2" }, ["databaseIdentifier"]],
    ["a new host", { host: "other.example" }, ["host"]],
  ])("masks again for %s", async (_label, change, replaces) => {
    const diff = await provider().diff?.("id", olds, { ...INPUTS, ...change });
    expect(diff).toMatchObject({ changes: true, replaces });
  });

  it("does not re-mask already masked data for a new password", async () => {
    const diff = await provider().diff?.("id", olds, { ...INPUTS, password: "rotated" });
    expect(diff?.replaces).toEqual([]);
    expect(diff?.changes).toBe(false);
  });

  it("sees a new masking key as a change, and its update fails naming both fingerprints, running nothing", async () => {
    const diff = await provider().diff?.("id", olds, { ...INPUTS, key: "other" });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const { runner, requests } = fakeRunner({ tables: 1, rows: 1, durationMs: 1 });
    await expect(
      gate.maskingGateProvider(runner).update?.("shop-staging/db-ABC", olds, { ...INPUTS, key: "other" }),
    ).rejects.toThrow(
      `masking shop-staging/db-ABC: the masking key changed since this clone was masked (fingerprint ${olds.keyFingerprint}, the key now given is ${gate.gateKeyFingerprint("other")})`,
    );
    expect(requests).toEqual([]);
  });

  it("asks the clone once for a state recorded before key fingerprints, then records it", async () => {
    const { keyFingerprint: _none, ...legacy } = olds;
    expect((await provider().diff?.("id", legacy, { ...INPUTS }))?.changes).toBe(true);
    const { runner, requests } = fakeRunner({ tables: 0, rows: 0, durationMs: 0 });
    const updated = await gate.maskingGateProvider(runner).update?.("id", legacy, { ...INPUTS });
    expect(requests).toEqual([expect.objectContaining({ verifyKeyOnly: true, key: "masking-key" })]);
    expect(updated?.outs.keyFingerprint).toBe(olds.keyFingerprint);
    expect((await provider().diff?.("id", updated?.outs, { ...INPUTS }))?.changes).toBe(false);
  });

  it("updates in place (never replaces) when the rules change", async () => {
    const diff = await provider().diff?.("id", olds, { ...INPUTS, rulesDigest: "d2" });
    expect(diff).toMatchObject({ changes: true, replaces: [] });
  });

  it("keeps the masking record when the port moves", async () => {
    const updated = await provider().update?.("id", olds, { ...INPUTS, port: 6432 });
    expect(updated?.outs).toMatchObject({ port: 6432, maskedAt: "2026-01-01T00:00:00Z", tablesMasked: 3 });
  });

  it("reports missing inputs in check", async () => {
    const checked = await provider().check?.({}, { ...INPUTS, rulesFile: "", command: [] });
    expect(checked?.failures?.map((f) => f.property)).toEqual(["rulesFile", "command"]);
  });
});

/** A stand-in worker: records argv and stdin, prints a log line and a report (or fails on request). */
function fakeWorker(): { script: string; record: string } {
  const dir = mkdtempSync(join(tmpdir(), "parity-gate-"));
  const script = join(dir, "worker.mjs");
  const record = join(dir, "record.json");
  writeFileSync(
    script,
    `import { writeFileSync } from "node:fs";
let input = "";
process.stdin.on("data", (c) => { input += c; });
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  writeFileSync(process.argv[2], JSON.stringify({ request, argv: process.argv, env: process.env }));
  if (request.databaseUrl.includes("fail")) { process.stderr.write("cannot connect"); process.exit(3); }
  console.log("masking 2 tables");
  console.log(JSON.stringify({ tables: 2, rows: 40, durationMs: 7 }));
});
`,
  );
  return { script, record };
}

describe("workerMaskingRunner", () => {
  it("hands secrets to the worker on stdin only and parses its report", async () => {
    const { script, record } = fakeWorker();
    const result = await gate.workerMaskingRunner.mask({
      databaseUrl: "postgresql://u:secret-pw@h:5432/db",
      rulesFile: "/r.yaml",
      key: "secret-key",
      command: [process.execPath, script, record],
      cwd: tmpdir(),
    });
    expect(result).toEqual({ tables: 2, rows: 40, durationMs: 7 });
    const seen = JSON.parse(readFileSync(record, "utf8"));
    expect(seen.request).toEqual({
      databaseUrl: "postgresql://u:secret-pw@h:5432/db",
      rulesFile: "/r.yaml",
      key: "secret-key",
    });
    expect(JSON.stringify(seen.argv)).not.toMatch(/secret-pw|secret-key/);
    expect(JSON.stringify(seen.env)).not.toMatch(/secret-pw|secret-key/);
  });

  it("fails with the worker's stderr", async () => {
    const { script, record } = fakeWorker();
    await expect(
      gate.workerMaskingRunner.mask({
        databaseUrl: "postgresql://fail",
        rulesFile: "/r.yaml",
        key: "k",
        command: [process.execPath, script, record],
        cwd: tmpdir(),
      }),
    ).rejects.toThrow("masking worker exited with code 3: cannot connect");
  });
});

describe("workerMaskingRunner limits", () => {
  it("kills a worker that outlives the deadline and says nothing was committed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parity-gate-"));
    const script = join(dir, "hang.mjs");
    writeFileSync(script, "setInterval(() => {}, 1000);\n");
    const started = Date.now();
    await expect(
      gate.workerMaskingRunner.mask({
        databaseUrl: "postgresql://u:p@h/db",
        rulesFile: "r.yaml",
        key: "k",
        command: ["node", script],
        cwd: ".",
        deadlineMs: 300,
      }),
    ).rejects.toThrow(/did not finish within 0 s; the worker was killed and nothing was committed/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("runs `node` as the provider's own Node, in a cwd relative to the program's directory", async () => {
    const { script, record } = fakeWorker();
    const result = await gate.workerMaskingRunner.mask({
      databaseUrl: "postgresql://u:p@h/db",
      rulesFile: "r.yaml",
      key: "k",
      command: ["node", script, record],
      cwd: ".",
      columns: ["public.customers.phone"],
      connectTimeoutMs: 5000,
    });
    expect(result.tables).toBe(2);
    const seen = JSON.parse(readFileSync(record, "utf8"));
    expect(seen.argv[0]).toBe(process.execPath);
    expect(seen.request).toMatchObject({ columns: ["public.customers.phone"], connectTimeoutMs: 5000 });
  });
});

describe("the serialized provider", () => {
  it("runs on its own, the way Pulumi's dynamic provider host loads it", async () => {
    const { script, record } = fakeWorker();
    const resource = new gate.MaskingGate("serialized", {
      ...INPUTS,
      command: [process.execPath, script, record],
      cwd: tmpdir(),
    });
    await resolved(resource.urn);
    await mocks.settle();
    const registered = mocks.one("pulumi-nodejs:dynamic/parity:MaskingGate", "serialized");
    const source = registered.inputs.__provider as string;
    expect(source).toContain("exports.handler");
    // The same loader the dynamic provider host uses: a fresh module with nothing from this process.
    const pulumiRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
    const requireFromString = pulumiRequire("require-from-string") as (code: string) => {
      handler: () => pulumi.dynamic.ResourceProvider;
    };
    const provider = requireFromString(source).handler();
    const created = await provider.create({
      ...INPUTS,
      command: [process.execPath, script, record],
      cwd: tmpdir(),
    });
    expect(created.outs).toMatchObject({ tablesMasked: 2, rowsMasked: 40 });
    expect(JSON.parse(readFileSync(record, "utf8")).request.key).toBe("masking-key");
  });

  it("is self-contained also when the program runs under tsx, as `pulumi up` runs it", async () => {
    const { execFileSync } = await import("node:child_process");
    const script = join(import.meta.dirname, "support/serialize-under-tsx.ts");
    const source = execFileSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8" });
    const pulumiRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
    const requireFromString = pulumiRequire("require-from-string") as (code: string) => {
      handler: () => pulumi.dynamic.ResourceProvider;
    };
    const provider = requireFromString(source).handler();
    const { script: worker, record } = fakeWorker();
    const created = await provider.create({
      ...INPUTS,
      command: [process.execPath, worker, record],
      cwd: tmpdir(),
    });
    expect(created.outs).toMatchObject({ tablesMasked: 2 });
    const diff = await provider.diff?.("id", { ...INPUTS }, { ...INPUTS, databaseResourceId: "db-NEW" });
    expect(diff?.replaces).toEqual(["databaseResourceId"]);
  });

  it("registers the password and the key as secrets", async () => {
    await mocks.settle();
    const registered = mocks.one("pulumi-nodejs:dynamic/parity:MaskingGate", "serialized");
    expect(registered.inputs.password).toMatchObject({ value: "p@ss/word:1" });
    expect(Object.keys(registered.inputs.password as object)).toHaveLength(2); // the secret signature + value
    expect(registered.inputs.key).toMatchObject({ value: "masking-key" });
  });
});
