// `npm run demo -- promote`: a promotion with undo and a signed record, on this machine. One local
// PostgreSQL 15 holds a staging and a production database; staging has a planted schema change (a
// new column and an index on it) and a new config key. parity previews the promotion, applies it
// (after a template copy of production), shows the signed record, undoes it by its reverse plan,
// and verifies the log. A temp Ed25519 key signs; everything is removed afterwards, also on Ctrl-C.

import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promoteCommand } from "../../audit/cli/promote/command.ts";
import { undoCommand } from "../../audit/cli/undo/command.ts";
import { withClient } from "../../audit/core/pg-client.ts";
import { openRecordLog } from "../../audit/promote/record/record-log.ts";
import { verifierFromPem } from "../../audit/promote/record/signing-key.ts";
import { verifyLog } from "../../audit/promote/record/verify-log.ts";
import { createDatabase, startEmbeddedPostgres } from "../../test/support/embedded-postgres.ts";
import { openDemoWorkspace } from "./workspace.ts";

export interface PromoteDemoOptions {
  write?: (text: string) => void;
  color?: boolean;
  tempParent?: string;
}

export interface PromoteDemoOutcome {
  /** 0 when the promotion applied, the undo brought production back, and the log verified. */
  exitCode: number;
  promoteExitCode: number;
  undoExitCode: number;
  verified: boolean;
  seconds: number;
}

const SHOP = `
create table public.customers (id bigint generated always as identity primary key, email text not null unique,
  created_at timestamptz not null default now());
create table public.orders (id bigint generated always as identity primary key,
  customer_id bigint not null references public.customers (id), total_cents integer not null);
insert into public.customers (email) select 'customer' || g || '@example.com' from generate_series(1, 500) g;
insert into public.orders (customer_id, total_cents) select 1 + g % 500, 100 + g from generate_series(1, 2000) g;`;

/** What the team built on staging and wants in production. */
const STAGING_CHANGE = `
alter table public.customers add column loyalty_tier text;
create index customers_loyalty_tier_idx on public.customers (loyalty_tier);`;

export const PROMOTE_DEMO_CONFIG = `# parity.config.yaml, as the promote demo wrote it
baseline: production
environments:
  production:
    database: { url: "\${DEMO_PRODUCTION_URL}" }
    config: { dotenv: { file: production.env } }
  staging:
    database: { url: "\${DEMO_STAGING_URL}" }
    config: { dotenv: { file: staging.env } }
promotion:
  log: records            # a directory here; s3://bucket/prefix in real life
  signingKey: { file: signing-key.pem }   # or { ssmParameter: /parity/promotion-key }
`;

export async function runPromoteDemo(options: PromoteDemoOptions = {}): Promise<PromoteDemoOutcome> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const started = Date.now();
  const workspace = await openDemoWorkspace("parity-pp-", {
    write,
    ...(options.tempParent ? { tempParent: options.tempParent } : {}),
  });
  const { root, servers } = workspace;
  try {
    write(
      "parity promote demo: staging → production with a preview, one transaction, an undo and a signed record\n",
    );
    write(`  starting PostgreSQL 15 under ${root} …\n`);
    const server = await startEmbeddedPostgres({ major: 15, parentDir: root });
    servers.push(server);
    write("  loading the shop into shop_staging and shop_production, planting staging's change …\n");
    const [stagingUrl, productionUrl] = await Promise.all([
      createDatabase(server, "shop_staging", SHOP + STAGING_CHANGE),
      createDatabase(server, "shop_production", SHOP),
    ]);
    // A key for this run only: in real life a 0600 file or an SSM SecureString, never a flag.
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
    await writeFile(
      join(root, "signing-key.pem"),
      privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      {
        mode: 0o600,
      },
    );
    await writeFile(join(root, "parity.config.yaml"), PROMOTE_DEMO_CONFIG);
    await writeFile(join(root, "staging.env"), "DATABASE_POOL_SIZE=5\nLOYALTY_PROGRAM_ENABLED=true\n");
    await writeFile(join(root, "production.env"), "DATABASE_POOL_SIZE=20\n");
    write(`\n${PROMOTE_DEMO_CONFIG}\n`);
    const variables = { ...process.env, DEMO_PRODUCTION_URL: productionUrl, DEMO_STAGING_URL: stagingUrl };

    write("  running: parity promote --from staging --to production --approved-by demo-reviewer\n\n");
    const promoted = await promoteCommand({
      from: "staging",
      to: "production",
      cwd: root,
      variables,
      approvedBy: ["demo-reviewer"],
      write,
      progress: (line) => write(`  ${line}\n`),
    });
    write(`  exit code ${promoted.exitCode}\n\n`);
    const record = promoted.result.record;
    if (record) {
      const body = record.body;
      write("The record (records/000001.json), in short:\n");
      write(
        [
          `  id ${body.id} · ${body.kind} · ${body.outcome} · parity ${body.parityVersion}`,
          `  from ${body.from.environment} (${body.from.database}, system ${body.from.systemIdentifier}, PostgreSQL ${body.from.serverVersion})`,
          `  to   ${body.to.environment} (${body.to.database}, system ${body.to.systemIdentifier})`,
          `  plan sha256 ${body.planSha256} (${body.plan.statements.length} statements)`,
          `  reverse plan sha256 ${body.reversePlanSha256} (${body.reversePlan?.statements.length ?? 0} statements)`,
          `  snapshot ${body.snapshot?.kind} ${body.snapshot?.id}`,
          `  config changes ${body.configChanges.map((change) => change.key).join(", ") || "none"} (names only)`,
          `  approvers ${body.approvers.map((approver) => approver.name).join(", ")}`,
          `  hash ${record.hash}, signed by key ${record.keyId}, previous ${body.previousHash ?? "none (first record)"}`,
          "",
        ].join("\n"),
      );
      const columns = await withClient(productionUrl, async (client) =>
        (
          await client.query(
            "select column_name from information_schema.columns where table_name = 'customers' order by 1",
          )
        ).rows.map((row: { column_name: string }) => row.column_name),
      );
      write(`  production's customers now: ${columns.join(", ")}\n\n`);
    }

    let undoExitCode = 1;
    if (record) {
      write(`  running: parity undo ${record.body.id}\n`);
      const undone = await undoCommand({
        recordId: record.body.id,
        cwd: root,
        variables,
        progress: (line) => write(`  ${line}\n`),
      });
      write(undone.content);
      undoExitCode = undone.exitCode;
      write(`  exit code ${undone.exitCode}\n\n`);
    }

    write("  verifying the log: every signature, every hash, the chain …\n");
    const verification = await verifyLog(openRecordLog(join(root, "records")), verifierFromPem(publicPem));
    for (const entry of verification.entries) {
      write(
        `  ${entry.ok ? "✔" : "✖"} ${entry.name} ${entry.record?.body.kind ?? ""} ${entry.record?.body.id ?? ""}\n`,
      );
    }
    for (const problem of verification.problems) write(`  ✖ ${problem.record}: ${problem.problem}\n`);
    const seconds = (Date.now() - started) / 1000;
    const ok = promoted.exitCode === 0 && undoExitCode === 0 && verification.ok && verification.records === 2;
    write(
      ok
        ? `✔ promoted, recorded, undone and verified in ${seconds.toFixed(1)}s\n`
        : "✖ the promote demo did not go as designed\n",
    );
    return {
      exitCode: ok ? 0 : 1,
      promoteExitCode: promoted.exitCode,
      undoExitCode,
      verified: verification.ok,
      seconds,
    };
  } finally {
    await workspace.close();
  }
}
