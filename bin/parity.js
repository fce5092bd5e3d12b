#!/usr/bin/env node
// Starts the CLI from the esbuild bundle in dist/ (built by `npm run build`, before `npm test`,
// and by `prepack` for the package) when it is fresh, otherwise runs the TypeScript sources through tsx's loader, so an
// edited source is never shadowed by an old bundle. The bundle skips ~0.2 s of loader startup.
// PARITY_NO_BUNDLE=1 forces the sources.
import { fileURLToPath, pathToFileURL } from "node:url";
import { freshBundle } from "./bundle.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = process.env.PARITY_NO_BUNDLE ? undefined : freshBundle(`${root}dist`, root);
let main;
if (bundle) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  // tsx is a devDependency: an installed package always runs its bundle (built by prepack).
  const tsx = await import("tsx/esm/api").catch(() => undefined);
  if (!tsx) {
    process.stderr.write(
      "parity: the CLI bundle in dist/ is missing or older than the sources, and tsx is not installed to run them; run `npm run build` (or reinstall the package)\n",
    );
    process.exit(2);
  }
  tsx.register();
  ({ main } = await import("../audit/cli/main.ts"));
}
await main(process.argv);
