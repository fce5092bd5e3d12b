// The layout's import rules, checked by `npm run lint:deps` (part of `npm test`): no cycles, and
// nothing imports upwards. Each rule says which folder may not reach which, and why. Type-only
// imports count too: a type import is still a dependency of the design.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      severity: "error",
      comment: "A cycle means two modules are one; split out what both need.",
      from: {},
      to: { circular: true },
    },
    {
      name: "audit-not-above-itself",
      severity: "error",
      comment:
        "audit/ is the library and the CLI: it never imports the Pulumi components or stacks, tests, benchmarks or examples.",
      from: { path: "^audit/" },
      to: { path: "^(components|stacks|test|bench|examples)/" },
    },
    {
      name: "core-imports-only-core",
      severity: "error",
      comment:
        "audit/core/ is what everything shares: it imports nothing else from this repository (but package.json, for the version).",
      from: { path: "^audit/core/" },
      to: { dependencyTypes: ["local"], pathNot: "^(audit/core/|package\\.json$)" },
    },
    {
      name: "libraries-not-drift-or-cli",
      severity: "error",
      comment:
        "The schema model, masking, the parity.config.yaml model, AWS clients and preview stacks are libraries: the drift audit and the CLI use them, never the other way round.",
      from: { path: "^audit/(schema|masking|parity-config|aws|preview-stacks)/" },
      to: { path: "^audit/(drift|cli)/" },
    },
    {
      name: "drift-not-cli",
      severity: "error",
      comment: "The drift audit returns results; the CLI (audit/cli) prints them.",
      from: { path: "^audit/drift/" },
      to: { path: "^audit/cli/" },
    },
    {
      name: "bin-only-cli-main",
      severity: "error",
      comment: "bin/ starts the CLI through its one entry, audit/cli/main.ts.",
      from: { path: "^bin/" },
      to: { path: "^(audit|components|stacks)/", pathNot: "^audit/cli/main\\.ts$" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import that resolves to nothing is a typo or a moved file.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".d.ts", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
