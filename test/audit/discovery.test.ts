import { chmod, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EnvironmentReadError } from "../../audit/core/errors.ts";
import {
  discoverFromPulumi,
  sourcesFrom,
  substituteStackOutputs,
  usesStackOutputs,
} from "../../audit/parity-config/discovery/index.ts";
import { tempDirWith } from "./support/files.ts";

const STAGING_OUTPUTS = {
  ssmPath: "/shop/staging/",
  databaseIdentifier: "shop-staging",
  databaseKind: "cluster",
  databaseEndpoint: "shop-staging.cluster-abc.eu-west-1.rds.amazonaws.com",
  databaseEngineVersion: "15.4",
  parameterGroupName: "shop-staging-pg15",
  awsRegion: "eu-west-1",
  somethingElse: 42,
};

describe("sourcesFrom", () => {
  it.each([
    [{ databaseIdentifier: "db", databaseKind: "instance" as const }, { rds: { instance: "db" } }],
    [{ databaseIdentifier: "db" }, { rds: { instance: "db" } }],
    [
      { databaseIdentifier: "db", databaseKind: "cluster" as const, awsRegion: "us-east-1" },
      { rds: { cluster: "db", region: "us-east-1" } },
    ],
    [{ ssmPath: "/a/" }, { config: { ssm: { path: "/a/" } } }],
  ])("%j", (outputs, expected) => {
    expect(sourcesFrom(outputs)).toEqual(expected);
  });
});

describe("discoverFromPulumi", () => {
  it("reads an outputs file exported with `pulumi stack output --json`", async () => {
    const dir = await tempDirWith({ "staging.json": JSON.stringify(STAGING_OUTPUTS) });
    const found = await discoverFromPulumi("staging", {
      stack: "shop/staging",
      outputsFile: join(dir, "staging.json"),
    });
    expect(found.rds).toEqual({ cluster: "shop-staging", region: "eu-west-1" });
    expect(found.config).toEqual({ ssm: { path: "/shop/staging/", region: "eu-west-1" } });
    expect(found.outputs.databaseEngineVersion).toBe("15.4");
  });

  it("runs the pulumi CLI found on PATH with --json and without secrets", async () => {
    const dir = await tempDirWith({
      pulumi: `#!/bin/sh
printf '%s\\n' "$PWD" "$@" > "$(dirname "$0")/args.txt"
cat <<'JSON'
${JSON.stringify({ ...STAGING_OUTPUTS, databaseKind: "instance", ssmPath: "[secret]" })}
JSON
`,
    });
    await chmod(join(dir, "pulumi"), 0o755);
    const found = await discoverFromPulumi("staging", { stack: "shop/staging", dir }, { path: dir });
    expect(found.rds).toEqual({ instance: "shop-staging", region: "eu-west-1" });
    // A secret output is not a value: no SSM path was discovered from it.
    expect(found.config).toBeUndefined();
    const args = (await readFile(join(dir, "args.txt"), "utf8")).trim().split("\n");
    expect(args).toEqual([
      dir,
      "stack",
      "output",
      "--json",
      "--stack",
      "shop/staging",
      "--show-secrets=false",
    ]);
  });

  it("a failing pulumi CLI is an environment read error carrying its stderr", async () => {
    const dir = await tempDirWith({
      pulumi: "#!/bin/sh\necho 'error: no stack named shop/nope found' >&2\nexit 255\n",
    });
    await chmod(join(dir, "pulumi"), 0o755);
    const attempt = discoverFromPulumi("nope", { stack: "shop/nope", dir }, { path: dir });
    await expect(attempt).rejects.toBeInstanceOf(EnvironmentReadError);
    await expect(attempt).rejects.toThrow(
      /nope: could not read Pulumi stack shop\/nope: .*no stack named shop\/nope/,
    );
  });

  it("without the CLI and without an outputs file, says how to export one", async () => {
    const dir = await tempDirWith({});
    await expect(discoverFromPulumi("staging", { stack: "shop/staging" }, { path: dir })).rejects.toThrow(
      /pulumi CLI is not on PATH.*pulumi stack output --json --stack shop\/staging > outputs\.json.*outputsFile/,
    );
  });

  it.each([
    ["not JSON", "{", /not valid JSON/],
    ["not an object", "[1,2]", /not a JSON object/],
    [
      "bad databaseKind",
      JSON.stringify({ databaseIdentifier: "x", databaseKind: "serverless" }),
      /databaseKind must be/,
    ],
    [
      "nothing to audit",
      JSON.stringify({ awsRegion: "eu-west-1" }),
      /neither a ssmPath nor a databaseIdentifier/,
    ],
  ])("rejects an outputs file that is %s", async (_name, content, message) => {
    const dir = await tempDirWith({ "out.json": content });
    await expect(
      discoverFromPulumi("staging", { stack: "s", outputsFile: join(dir, "out.json") }),
    ).rejects.toThrow(message);
  });
});

describe("stack output references (pulumi.NAME) in a database URL", () => {
  const outputs = { databaseEndpoint: "shop-staging.cluster-abc.eu-west-1.rds.amazonaws.com:5432" };

  it("is filled from the stack outputs", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: parity's own placeholder syntax
    const url = "postgres://audit@${pulumi.databaseEndpoint}/shop";
    expect(usesStackOutputs(url)).toBe(true);
    expect(substituteStackOutputs(url, outputs, "staging", "shop/staging")).toBe(
      "postgres://audit@shop-staging.cluster-abc.eu-west-1.rds.amazonaws.com:5432/shop",
    );
    expect(usesStackOutputs("postgres://audit@db/shop")).toBe(false);
  });

  it("names a missing output", () => {
    expect(() =>
      // biome-ignore lint/suspicious/noTemplateCurlyInString: parity's own placeholder syntax
      substituteStackOutputs("postgres://a@${pulumi.readerEndpoint}/x", outputs, "staging", "shop/staging"),
    ).toThrow(
      /staging: could not read Pulumi stack shop\/staging: database\.url uses \$\{pulumi\.readerEndpoint\}/,
    );
  });
});
