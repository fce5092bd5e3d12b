// The import rules of .dependency-cruiser.cjs (run over the repository by `npm run lint:deps`) on a
// small tree that breaks each of them once: every rule must catch its own break, so a rule that
// stopped matching (a renamed folder, a wrong pattern) fails here instead of passing silently.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cruise, type IConfiguration, type ICruiseResult } from "dependency-cruiser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const config = createRequire(import.meta.url)("../../.dependency-cruiser.cjs") as IConfiguration;

// path → what it imports
const TREE: Record<string, string[]> = {
  "audit/core/finding.ts": [],
  "audit/core/leaks.ts": ["../drift/runner/run.ts"],
  "audit/schema/model.ts": ["../core/finding.ts"],
  "audit/schema/upward.ts": ["../cli/main.ts"],
  "audit/masking/upward.ts": ["../drift/runner/run.ts"],
  "audit/schema/cycle-a.ts": ["./cycle-b.ts"],
  "audit/schema/cycle-b.ts": ["./cycle-a.ts"],
  "audit/drift/runner/run.ts": ["../../schema/model.ts"],
  "audit/drift/reporters/prints.ts": ["../../cli/main.ts"],
  "audit/cli/main.ts": ["../drift/runner/run.ts"],
  "audit/cli/uses-components.ts": ["../../components/database.ts"],
  "audit/drift/uses-test.ts": ["../../test/support/db.ts"],
  "components/database.ts": ["../audit/schema/model.ts"],
  "test/support/db.ts": [],
  "bin/parity.js": ["../audit/cli/main.ts"],
  "bin/sneaky.js": ["../audit/drift/runner/run.ts"],
  "audit/drift/typo.ts": ["./no-such-file.ts"],
};

let root: string;
let violations: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "parity-import-rules-"));
  for (const [path, imports] of Object.entries(TREE)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    const body = imports.map((target) => `import "${target}";`).join("\n");
    await writeFile(join(root, path), `${body}\nexport const here = ${JSON.stringify(path)};\n`);
  }
  const { output } = await cruise(
    ["audit", "components", "bin", "test"],
    {
      baseDir: root,
      ruleSet: { forbidden: config.forbidden ?? [] },
      validate: true,
      tsPreCompilationDeps: true,
    },
    { extensions: [".ts", ".js"] },
  );
  violations = (output as ICruiseResult).summary.violations.map(
    (violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`,
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const BREAKS = [
  "no-cycle: audit/schema/cycle-a.ts → audit/schema/cycle-b.ts",
  "audit-not-above-itself: audit/cli/uses-components.ts → components/database.ts",
  "audit-not-above-itself: audit/drift/uses-test.ts → test/support/db.ts",
  "core-imports-only-core: audit/core/leaks.ts → audit/drift/runner/run.ts",
  "libraries-not-drift-or-cli: audit/schema/upward.ts → audit/cli/main.ts",
  "libraries-not-drift-or-cli: audit/masking/upward.ts → audit/drift/runner/run.ts",
  "drift-not-cli: audit/drift/reporters/prints.ts → audit/cli/main.ts",
  "bin-only-cli-main: bin/sneaky.js → audit/drift/runner/run.ts",
  "not-to-unresolvable: audit/drift/typo.ts → ./no-such-file.ts",
];

describe("the import rules", () => {
  it.each(BREAKS)("catch %s", (violation) => {
    expect(violations).toContain(violation);
  });

  it("allow what the layout allows: components → libraries, cli → drift, bin → cli/main, drift → libraries", () => {
    expect([...violations].sort()).toEqual([...BREAKS].sort());
  });
});
