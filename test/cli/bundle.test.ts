// The esbuild bundle of the CLI (scripts/build-cli.mjs) and when bin/parity.js may use it.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshBundle } from "../../bin/bundle.js";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");

describe("scripts/build-cli.mjs", () => {
  let outdir: string;
  beforeAll(async () => {
    // Inside the repository (dist/ is ignored by git): the bundle resolves its dependencies from
    // node_modules like the real one does.
    await mkdir(join(root, "dist"), { recursive: true });
    outdir = await mkdtemp(join(root, "dist", "test-"));
    await run(process.execPath, [join(root, "scripts/build-cli.mjs"), "--outdir", outdir], { cwd: root });
  }, 60_000);
  afterAll(() => rm(outdir, { recursive: true, force: true }));

  it("parses SQL with libpg-query's WASM from the bundle, as the sources do (parity lint)", async () => {
    const sql = join(outdir, "bad.sql");
    await writeFile(sql, "SELECT 1;\nCREATE INDX i ON t (c);\n");
    const args = ["lint", sql, "--against", "postgresql://nobody@127.0.0.1:1/none"];
    const script = `const { main } = await import(${JSON.stringify(join(outdir, "parity.mjs"))}); await main(["node", "parity", ...${JSON.stringify(args)}]);`;
    const outcome = (child: Promise<unknown>) =>
      child.then(
        () => ({ code: 0, stderr: "" }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    const bundled = await outcome(
      run(process.execPath, ["--input-type=module", "-e", script], { cwd: root }),
    );
    expect(bundled).toEqual({
      code: 2,
      stderr: `parity: ${sql}:2:8: SQL syntax error: syntax error at or near "INDX"\n`,
    });
  });

  it("lists every bundled source of this repository, and the bundle is fresh right after the build", async () => {
    const manifest = JSON.parse(await readFile(join(outdir, "manifest.json"), "utf8"));
    expect(manifest.sources).toContain("audit/cli/main.ts");
    expect(manifest.sources).toContain("audit/schema/introspect.ts");
    expect(manifest.sources).toContain("package.json");
    // Of node_modules only npm's install record: a reinstall makes the bundle stale.
    const fromNodeModules = manifest.sources.filter((source: string) => source.includes("node_modules"));
    expect(fromNodeModules).toEqual(["node_modules/.package-lock.json"]);
    expect(freshBundle(outdir, root)).toBe(join(outdir, "parity.mjs"));
  });

  it("runs the CLI the same as the sources do", async () => {
    const script = `const { main } = await import(${JSON.stringify(join(outdir, "parity.mjs"))}); await main(["node", "parity", "audit", "--help"]);`;
    const bundled = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: root });
    const sources = await run(process.execPath, [join(root, "bin/parity.js"), "audit", "--help"], {
      cwd: root,
      env: { ...process.env, PARITY_NO_BUNDLE: "1" },
    });
    expect(bundled.stdout).toContain("--config <file>");
    expect(bundled.stdout).toBe(sources.stdout);
  }, 60_000);

  it("leaves out what every run would pay for and never use: zod's other locales, pg's Workers probe", async () => {
    const files = [join(outdir, "parity.mjs")];
    for (const chunk of await readdir(join(outdir, "chunks"))) {
      if (chunk.endsWith(".mjs")) files.push(join(outdir, "chunks", chunk));
    }
    const bundle = (await Promise.all(files.map((file) => readFile(file, "utf8")))).join("\n");
    // esbuild marks each bundled module with a `// path` comment.
    expect(bundle).toContain("// node_modules/zod/v4/locales/en.js");
    expect(bundle).not.toContain("// node_modules/zod/v4/locales/he.js");
    // The probe constructs a Response, which loads undici (about 20 ms) on every start.
    expect(bundle).toContain("// node_modules/pg/lib/stream.js");
    expect(bundle).not.toContain("if (isCloudflareRuntime()) {");
  });

  it("keeps the AWS SDK and Pulumi out of the chunks the CLI loads at startup", async () => {
    const entry = await readFile(join(outdir, "parity.mjs"), "utf8");
    const staticImports = [...entry.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]);
    expect(staticImports.filter((name) => /aws-sdk|pulumi/.test(name ?? ""))).toEqual([]);
    // Each command (audit/cli/<command>/register.ts) is its own lazily imported chunk: as many
    // chunks as main.ts lists commands (counted, so adding a command does not edit this test).
    const main = await readFile(join(root, "audit/cli/main.ts"), "utf8");
    const commands = main.match(/\(\) => import\("\.\/[a-z-]+\/register\.ts"\)/g)?.length ?? 0;
    expect(commands).toBeGreaterThanOrEqual(6);
    expect(entry.match(/import\("\.\/chunks\/register-/g)?.length).toBe(commands);
  });
});

describe("freshBundle", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "parity-fresh-"));
    await mkdir(join(dir, "src"));
    await mkdir(join(dir, "dist"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const built = async (builtAt: number) => {
    await writeFile(join(dir, "src/a.ts"), "export const a = 1;\n");
    await utimes(join(dir, "src/a.ts"), new Date(builtAt - 1000), new Date(builtAt - 1000));
    await writeFile(
      join(dir, "dist/manifest.json"),
      JSON.stringify({ builtAt, entry: "parity.mjs", sources: ["src/a.ts"] }),
    );
  };

  it("takes a bundle built after its sources last changed", async () => {
    await built(Date.now());
    expect(freshBundle(join(dir, "dist"), dir)).toBe(join(dir, "dist/parity.mjs"));
  });

  it("refuses a bundle once a source is edited after the build", async () => {
    const builtAt = Date.now();
    await built(builtAt);
    await utimes(join(dir, "src/a.ts"), new Date(builtAt + 1000), new Date(builtAt + 1000));
    expect(freshBundle(join(dir, "dist"), dir)).toBeUndefined();
  });

  it("refuses a bundle whose source is gone, and a missing or broken manifest", async () => {
    await built(Date.now());
    await rm(join(dir, "src/a.ts"));
    expect(freshBundle(join(dir, "dist"), dir)).toBeUndefined();
    await rm(join(dir, "dist/manifest.json"));
    expect(freshBundle(join(dir, "dist"), dir)).toBeUndefined();
    await writeFile(join(dir, "dist/manifest.json"), "{");
    expect(freshBundle(join(dir, "dist"), dir)).toBeUndefined();
  });
});
