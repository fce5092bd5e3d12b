// Whether the esbuild bundle (scripts/build-cli.mjs) may stand in for the TypeScript sources:
// it exists, and no source file that went into it changed (or vanished) since it was built.
import { readFileSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";

/** The bundle's entry file when it is fresh, otherwise undefined. */
export function freshBundle(distDir, rootDir) {
  try {
    const { builtAt, entry, sources, packaged } = JSON.parse(
      readFileSync(join(distDir, "manifest.json"), "utf8"),
    );
    // npm extracts an installed package with new mtimes, so they say nothing there: a bundle built
    // for the package (prepack) is the package's own, as long as it runs installed (inside
    // node_modules). In a checkout (after npm pack) the mtimes are checked as always.
    if (packaged && resolve(rootDir).split(sep).includes("node_modules")) return join(distDir, entry);
    for (const source of sources) if (statSync(join(rootDir, source)).mtimeMs > builtAt) return undefined;
    return join(distDir, entry);
  } catch {
    // No bundle, an unreadable manifest, or a source it listed is gone.
    return undefined;
  }
}
