#!/usr/bin/env node
// Starts the CLI from the esbuild bundle in dist/ (built by `npm run build`, and by `prepare` on
// `npm ci`) when it is fresh, otherwise runs the TypeScript sources through tsx's loader, so an
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
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../audit/cli/main.ts"));
}
await main(process.argv);
