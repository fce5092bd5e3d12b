// `npm run demo -- lint`: the seed-003 story on this machine. A staging (PostgreSQL 13) with 200
// orders and a production (PostgreSQL 15) with a million; the same reviewed migration linted against
// both, then the real CREATE INDEX timed on production next to parity's estimate.

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type LintCommandResult, lintCommand } from "../../audit/cli/lint/command.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import { formatCount, formatDuration } from "../../audit/lint/estimate.ts";
import type { LintEvidence } from "../../audit/lint/rule.ts";
import {
  createDatabase,
  type EmbeddedServer,
  startEmbeddedPostgres,
} from "../../test/support/embedded-postgres.ts";
import {
  loadOrders,
  ORDERS_TABLE,
  PRODUCTION_ORDERS,
  SEED_INDEX_BUILD,
  SEED_INDEX_NAME,
  SEED_MIGRATION,
  SEED_MIGRATION_FILE,
  STAGING_ORDERS,
} from "./seed-003.ts";
import { openDemoWorkspace } from "./workspace.ts";

export interface LintDemoOptions {
  write?: (text: string) => void;
  color?: boolean;
  tempParent?: string;
}

export interface LintDemoOutcome {
  /** 0 when staging passed, production failed, and the estimate was within 3× of the real build. */
  exitCode: number;
  stagingExitCode: number;
  productionExitCode: number;
  estimatedSeconds: number;
  realSeconds: number;
  /** Both runs as lintCommand returned them, for the test to read. */
  staging: LintCommandResult;
  production: LintCommandResult;
}

export async function runLintDemo(options: LintDemoOptions = {}): Promise<LintDemoOutcome> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const workspace = await openDemoWorkspace("parity-lint-", {
    write,
    ...(options.tempParent ? { tempParent: options.tempParent } : {}),
  });
  const { root, servers } = workspace;
  try {
    write("parity lint demo: seed-003, a reviewed CREATE INDEX that locked production's orders\n");
    write(`  starting production (PostgreSQL 15) and staging (PostgreSQL 13) under ${root} …\n`);
    const settled = await Promise.allSettled([
      startEmbeddedPostgres({ major: 15, parentDir: root }),
      startEmbeddedPostgres({ major: 13, parentDir: root }),
    ]);
    for (const outcome of settled) if (outcome.status === "fulfilled") servers.push(outcome.value);
    const failed = settled.find((outcome) => outcome.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [production, staging] = servers as [EmbeddedServer, EmbeddedServer];
    write(
      `  loading ${STAGING_ORDERS} orders into staging and ${formatCount(PRODUCTION_ORDERS)} into production …\n`,
    );
    const [productionUrl, stagingUrl] = await Promise.all([
      createDatabase(production, "shop", ORDERS_TABLE + loadOrders(PRODUCTION_ORDERS)),
      createDatabase(staging, "shop", ORDERS_TABLE + loadOrders(STAGING_ORDERS)),
    ]);
    await writeFile(join(root, SEED_MIGRATION_FILE), SEED_MIGRATION);
    await writeFile(
      join(root, "parity.config.yaml"),
      `baseline: production
environments:
  production: { database: { url: "\${DEMO_PRODUCTION_URL}" } }
  staging: { database: { url: "\${DEMO_STAGING_URL}" } }
`,
    );
    write(`\n${SEED_MIGRATION}\n`);

    const lint = async (against: string) => {
      write(`  running: parity lint ${SEED_MIGRATION_FILE} --against ${against}\n\n`);
      const outcome = await lintCommand({
        files: [SEED_MIGRATION_FILE],
        against,
        cwd: root,
        variables: { ...process.env, DEMO_PRODUCTION_URL: productionUrl, DEMO_STAGING_URL: stagingUrl },
        colorStdout: options.color ?? false,
      });
      for (const report of outcome.reports) write(report.content);
      write(`  exit code ${outcome.exitCode}\n\n`);
      return outcome;
    };
    const onStaging = await lint("staging");
    const onProduction = await lint("production");
    const evidence = onProduction.result.findings.find(
      (finding) => finding.ruleId === "lint/create-index-not-concurrently",
    )?.actual as LintEvidence | undefined;
    const estimatedSeconds = evidence?.estimatedSeconds ?? 0;

    write("  now running the migration's CREATE INDEX on production for real, to time it (fastest of 3) …\n");
    // The estimate models an idle, cache-warm server (lint.throughput is calibrated so); the fastest of
    // three builds is that server's time, where a single build on a busy machine (CI) also times the
    // other work competing for its cores.
    const realSeconds = await withClient(productionUrl, async (client) => {
      const times: number[] = [];
      for (let run = 0; run < 3; run += 1) {
        if (run > 0) await client.query(`drop index ${SEED_INDEX_NAME}`);
        const started = performance.now();
        await client.query(SEED_INDEX_BUILD);
        times.push((performance.now() - started) / 1000);
      }
      return Math.min(...times);
    });
    const ratio = realSeconds / estimatedSeconds;
    write(
      `  real build: ${formatDuration(realSeconds)}; parity estimated ${formatDuration(estimatedSeconds)} (real/estimate ${ratio.toFixed(2)}). ` +
        "Every write to orders waits that long. The incident's production (1.8 million rows, its own disks and load) took 47 minutes: calibrate lint.throughput with a build timed there.\n",
    );
    const ok = onStaging.exitCode === 0 && onProduction.exitCode === 1 && ratio > 1 / 3 && ratio < 3;
    write(
      ok
        ? "✔ the seed-003 migration is caught before it reaches production\n"
        : "✖ the demo did not go as designed\n",
    );
    return {
      exitCode: ok ? 0 : 1,
      stagingExitCode: onStaging.exitCode,
      productionExitCode: onProduction.exitCode,
      estimatedSeconds,
      realSeconds,
      staging: onStaging,
      production: onProduction,
    };
  } finally {
    await workspace.close();
  }
}
