// `npm run demo`: parity in one run, on this machine, with no AWS.
// Starts a local "production" (PostgreSQL 15) and "staging" (PostgreSQL 13), loads the same shop
// schema and data into both, plants the drift teams meet in real life, writes a parity.config.yaml
// for them and runs `parity audit` on it. Everything is removed afterwards, also on Ctrl-C.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { auditCommand } from "../../audit/cli/audit/command.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import { defaultRegistry } from "../../audit/drift/checks/index.ts";
import {
  createDatabase,
  type EmbeddedServer,
  startEmbeddedPostgres,
} from "../../test/support/embedded-postgres.ts";
import {
  MASKING_RULES,
  PLANTED,
  PRODUCTION_AFTER,
  PRODUCTION_BEFORE,
  PRODUCTION_ENV,
  STAGING_AFTER,
  STAGING_BEFORE,
  STAGING_ENV,
} from "./drift.ts";
import { SHOP_SCHEMA, SHOP_SEED } from "./shop-schema.ts";
import { openDemoWorkspace } from "./workspace.ts";

export const DEMO_CONFIG = `# parity.config.yaml, as the demo wrote it
baseline: production
environments:
  production:
    database: { url: "\${DEMO_PRODUCTION_URL}" }
    config: { dotenv: { file: production.env } }
  staging:
    database: { url: "\${DEMO_STAGING_URL}", maskingRules: masking.yaml }
    config: { dotenv: { file: staging.env } }
ignore:
  - rule: config/extra-key
    object: DEBUG_TOOLBAR
    environment: staging
    reason: the debug toolbar is staging-only, on purpose
`;

export interface DemoOptions {
  write?: (text: string) => void;
  color?: boolean;
  /** Where the demo makes its temp dir (default: the OS temp dir). */
  tempParent?: string;
}

export interface DemoOutcome {
  /** 0 when the audit ran and found every planted drift. */
  exitCode: number;
  auditExitCode: number;
  missed: string[];
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const c = colours(options.color ?? false);
  const started = Date.now();
  const workspace = await openDemoWorkspace("parity-demo-", {
    write,
    ...(options.tempParent ? { tempParent: options.tempParent } : {}),
  });
  const { root, servers } = workspace;

  try {
    write(`${c.bold("parity demo")}: a local production (PostgreSQL 15) and staging (PostgreSQL 13)\n`);
    write(c.dim(`  starting both servers under ${root} …\n`));
    const starting = [
      startEmbeddedPostgres({ major: 15, parentDir: root }),
      startEmbeddedPostgres({ major: 13, parentDir: root }),
    ];
    const settled = await Promise.allSettled(starting);
    for (const outcome of settled) if (outcome.status === "fulfilled") servers.push(outcome.value);
    const failed = settled.find((outcome) => outcome.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [production, staging] = servers as [EmbeddedServer, EmbeddedServer];

    write(c.dim("  loading the shop schema and a few thousand rows into both, then planting drift …\n"));
    const [productionUrl, stagingUrl] = await Promise.all([
      loadShop(production, PRODUCTION_BEFORE, PRODUCTION_AFTER),
      loadShop(staging, STAGING_BEFORE, STAGING_AFTER),
    ]);
    await writeFile(join(root, "parity.config.yaml"), DEMO_CONFIG);
    await writeFile(join(root, "production.env"), PRODUCTION_ENV);
    await writeFile(join(root, "staging.env"), STAGING_ENV);
    await writeFile(join(root, "masking.yaml"), MASKING_RULES);
    write(`\n${c.dim(DEMO_CONFIG)}\n`);

    write(c.dim("  running: parity audit --config parity.config.yaml --reporter text\n\n"));
    const {
      result,
      reports,
      exitCode: auditExitCode,
    } = await auditCommand({
      cwd: root,
      config: "parity.config.yaml",
      reporters: ["text"],
      registry: defaultRegistry,
      variables: { ...process.env, DEMO_PRODUCTION_URL: productionUrl, DEMO_STAGING_URL: stagingUrl },
      colorStdout: options.color ?? false,
    });
    for (const report of reports) write(report.content);

    const missed = PLANTED.filter((planted) => !result.findings.some((f) => planted.matches(f))).map(
      (planted) => planted.description,
    );
    write(`\n${c.bold("What you are looking at")}\n`);
    write(
      [
        "  • production is the baseline; staging is compared with it, check by check — database: schema and",
        "    engine of the live servers; data: masking coverage, sequences, row counts; config: keys from the",
        "    dotenv files (SSM or Pulumi stack config in real life). Errors are drift that breaks tests or",
        "    hides bugs; warnings are differences worth a look.",
        "  • The planted drift: an index added on production by hand, a column left behind on staging,",
        "    citext never updated on staging, PostgreSQL 13 against 15, an unmasked personal-data column,",
        "    three config keys that never reached staging, and a staging URL that points at the production",
        "    database.",
        "  • The data check reads staging's masking rules (masking.yaml, applied by `parity mask` after each",
        "    clone from production): customers.phone shipped later and has no rule, so staging would keep",
        "    real phone numbers.",
        "  • DEBUG_TOOLBAR exists only on staging on purpose: the ignore list in the config hides it, with a",
        "    reason. Entries can expire (`until:`), and unused ones are reported, so the list stays honest.",
        `  • In CI the same command exits ${auditExitCode} here (0 no drift, 1 drift, 2 unreadable or bad config);`,
        "    add --reporter junit=reports/parity.xml or --reporter markdown=$GITHUB_STEP_SUMMARY.",
        "",
      ].join("\n"),
    );
    if (missed.length > 0 || auditExitCode !== 1) {
      write(c.red(`The demo did not go as designed (audit exit code ${auditExitCode}); not found:\n`));
      for (const description of missed) write(c.red(`  - ${description}\n`));
    } else {
      write(
        c.green(
          `✔ all ${PLANTED.length} planted drifts found in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
        ),
      );
    }
    return { exitCode: missed.length === 0 && auditExitCode === 1 ? 0 : 1, auditExitCode, missed };
  } finally {
    await workspace.close();
  }
}

async function loadShop(server: EmbeddedServer, before: string, after: string): Promise<string> {
  const url = await createDatabase(server, "shop");
  await withClient(url, async (client) => {
    await client.query(before);
    await client.query(SHOP_SCHEMA);
    await client.query(SHOP_SEED);
    await client.query(after);
  });
  return url;
}

function colours(enabled: boolean) {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  // `npm run demo -- lint`: the seed-003 story (examples/demo/lint-demo.ts) instead of the audit.
  // `npm run demo -- promote`: a promotion with undo and a signed record (examples/demo/promote-demo.ts).
  const run =
    process.argv[2] === "lint"
      ? (options: DemoOptions) => import("./lint-demo.ts").then(({ runLintDemo }) => runLintDemo(options))
      : process.argv[2] === "promote"
        ? (options: DemoOptions) =>
            import("./promote-demo.ts").then(({ runPromoteDemo }) => runPromoteDemo(options))
        : runDemo;
  run({
    color: tty,
    ...(process.env.PARITY_DEMO_TMPDIR ? { tempParent: process.env.PARITY_DEMO_TMPDIR } : {}),
  }).then(
    (outcome) => {
      process.exitCode = outcome.exitCode;
    },
    (error: unknown) => {
      process.stderr.write(
        `parity demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
