// Shared helpers for the record tests: the fixed test keys copied to 0600 files (parity refuses a
// signing key others can read, and git checks files out 0644), and a valid record body.
import { randomUUID } from "node:crypto";
import { chmod, copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RecordBody } from "../../../audit/promote/record/record-file.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
export const TEST_KEY = join(FIXTURES, "test-only-ed25519.key.pem");
export const TEST_PUBLIC_KEY = join(FIXTURES, "test-only-ed25519.pub.pem");
export const OTHER_TEST_KEY = join(FIXTURES, "test-only-other-ed25519.key.pem");
/** keyId of TEST_KEY: SHA-256 of its SPKI DER, first 16 hex (`openssl pkey -pubin -in test-only-ed25519.pub.pem -outform DER | sha256sum`). */
export const TEST_KEY_ID = "d2dd09ef12ddb57b";

export async function tempDir(prefix = "parity-record-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A 0600 copy of a fixture key in `dir`. */
export async function privateKeyCopy(dir: string, fixture = TEST_KEY, name = "signing.pem"): Promise<string> {
  const file = join(dir, name);
  await copyFile(fixture, file);
  await chmod(file, 0o600);
  return file;
}

const PLAN = {
  schemaVersion: 1 as const,
  from: {
    environment: "staging",
    database: "127.0.0.1:5432/shop_staging",
    serverVersionNum: 150018,
    major: 15,
  },
  to: { environment: "production", database: "127.0.0.1:5432/shop", serverVersionNum: 150018, major: 15 },
  statements: [
    {
      sql: "ALTER TABLE public.orders ADD COLUMN email text",
      summary: "add column public.orders.email",
      action: "alter" as const,
      objects: [{ objectType: "column", name: "public.orders.email" }],
      hazards: [],
      transactional: true,
    },
  ],
  refusals: [],
};

const REVERSE = {
  ...PLAN,
  from: PLAN.to,
  to: PLAN.to,
  statements: [
    {
      sql: "ALTER TABLE public.orders DROP COLUMN email",
      summary: "drop column public.orders.email",
      action: "alter" as const,
      objects: [{ objectType: "column", name: "public.orders.email" }],
      hazards: [{ kind: "data-loss" as const, detail: "drops the column's data" }],
      transactional: true,
    },
  ],
};

/** A complete, valid promotion body (without previousHash, as appendRecord takes it). */
export function sampleBody(
  overrides: Partial<Omit<RecordBody, "previousHash">> = {},
): Omit<RecordBody, "previousHash"> {
  return {
    schemaVersion: 1,
    id: randomUUID(),
    kind: "promote",
    startedAt: "2026-12-01T18:00:00.000Z",
    finishedAt: "2026-12-01T18:00:04.250Z",
    parityVersion: "0.1.0",
    from: {
      environment: "staging",
      database: "127.0.0.1:5432/shop_staging",
      systemIdentifier: "7312345678901234567",
      serverVersion: "15.18",
    },
    to: {
      environment: "production",
      database: "127.0.0.1:5432/shop",
      systemIdentifier: "7312345678901234999",
      serverVersion: "15.18",
      rdsArn: "arn:aws:rds:us-east-1:123456789012:db:shop-production",
    },
    plan: PLAN,
    planSha256: "a".repeat(64),
    reversePlan: REVERSE,
    reversePlanSha256: "b".repeat(64),
    configChanges: [{ key: "FEATURE_CHECKOUT_V2", source: "ssm:/shop/staging", type: "String" }],
    snapshot: {
      kind: "template-database",
      id: "shop_before_promotion",
      createdAt: "2026-12-01T18:00:01.000Z",
    },
    acceptedRisks: [],
    approvers: [{ name: "alice", source: "command-line" }],
    steps: [],
    outcome: "applied",
    ...overrides,
  };
}
