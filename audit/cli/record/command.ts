// `parity record verify` and `parity record show` as typed functions: open the log, find the key,
// verify or pick a record, and hand back the rendered output with its exit code. Printing is the
// caller's (register.ts).
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ParityInputError } from "../../core/errors.ts";
import { findConfigFile } from "../../parity-config/find.ts";
import { loadParityConfig } from "../../parity-config/load.ts";
import type { SignedRecord } from "../../promote/record/record-file.ts";
import { openRecordLog } from "../../promote/record/record-log.ts";
import { type PromotionSettings, resolvePromotionSettings } from "../../promote/record/settings.ts";
import { loadVerifier, type RecordVerifier } from "../../promote/record/signing-key.ts";
import { type VerifyResult, verifyLog } from "../../promote/record/verify-log.ts";
import { renderRecord, renderRecordJson, renderVerify, renderVerifyJson } from "./format.ts";

export const RECORD_REPORTERS = ["text", "json"] as const;
export type RecordReporter = (typeof RECORD_REPORTERS)[number];

export interface RecordVerifyOptions {
  /** Directory or s3://bucket/prefix; default: the config's promotion.log. */
  log?: string;
  /** Public key files (SPKI PEM); several for a rotated key. */
  publicKeys?: string[];
  /** Parity config with a promotion: block (default: the nearest parity.config.yaml, when no key is given). */
  config?: string;
  /** The hash the log's last record must have (from an earlier verify). */
  head?: string;
  reporter?: string;
  cwd?: string;
  variables?: Readonly<Record<string, string | undefined>>;
}

export interface RecordVerifyResult {
  result: VerifyResult;
  content: string;
  /** 0 the chain verifies, 1 a record is changed, removed, inserted or reordered. (2 is thrown.) */
  exitCode: 0 | 1;
}

export interface RecordShowOptions {
  log?: string;
  /** A record id (or its first characters), a sequence number or a file name; default: the last. */
  id?: string;
  config?: string;
  reporter?: string;
  cwd?: string;
  variables?: Readonly<Record<string, string | undefined>>;
}

export async function recordVerifyCommand(options: RecordVerifyOptions): Promise<RecordVerifyResult> {
  const reporter = reporterOf(options.reporter);
  const cwd = options.cwd ?? process.cwd();
  const publicKeys = options.publicKeys ?? [];
  // The config is needed for the log when none is given, and for the key when no --public-key is.
  const settings =
    options.log === undefined || publicKeys.length === 0 ? await promotionSettings(options, cwd) : undefined;
  const logSpec = options.log ?? (settings as PromotionSettings).log;
  if (options.head !== undefined && !/^[0-9a-f]{64}$/.test(options.head)) {
    throw new ParityInputError(`--head ${options.head} is not a record hash (64 hex digits)`);
  }
  const verifiers = await verifiersFor(publicKeys, settings, cwd);
  const log = openRecordLog(logSpec, { cwd });
  const result = await verifyLog(log, verifiers, options.head !== undefined ? { head: options.head } : {});
  if (result.unreadable.length > 0) {
    const first = result.problems.find((p) => p.record.startsWith(result.unreadable[0] as string));
    throw new ParityInputError(
      `cannot verify ${log.describe()}: ${result.unreadable.length} record(s) could not be read (${first ? `${first.record}: ${first.problem}` : result.unreadable.join(", ")})`,
    );
  }
  if (result.records === 0) {
    throw new ParityInputError(`the record log ${log.describe()} has no records (is the path right?)`);
  }
  const content =
    reporter === "json" ? renderVerifyJson(log.describe(), result) : renderVerify(log.describe(), result);
  return { result, content, exitCode: result.ok ? 0 : 1 };
}

export async function recordShowCommand(
  options: RecordShowOptions,
): Promise<{ record: SignedRecord; content: string }> {
  const reporter = reporterOf(options.reporter);
  const cwd = options.cwd ?? process.cwd();
  const logSpec = options.log ?? (await promotionSettings(options, cwd)).log;
  const log = openRecordLog(logSpec, { cwd });
  const entries = (await log.entries()).filter((entry) => entry.sequence !== null);
  if (entries.length === 0)
    throw new ParityInputError(`the record log ${log.describe()} has no records (is the path right?)`);
  const records = await log.list();
  const named = entries.map((entry, index) => ({
    name: entry.name,
    sequence: entry.sequence,
    record: records[index] as SignedRecord,
  }));
  const matches = matchRecords(named, options.id);
  const wanted = options.id;
  if (matches.length !== 1) {
    throw new ParityInputError(
      matches.length === 0
        ? `no record ${wanted} in ${log.describe()} (give an id, its first characters, a sequence number or a file name)`
        : `${wanted} matches ${matches.length} records in ${log.describe()}: give more of the id`,
    );
  }
  const { name, record } = matches[0] as (typeof named)[number];
  const undoneBy = records.filter(
    (other) => other.body.kind === "undo" && other.body.undoes === record.body.id,
  );
  const content = reporter === "json" ? renderRecordJson(name, record) : renderRecord(name, record, undoneBy);
  return { record, content };
}

/**
 * Which records `wanted` names, most exact first: a sequence number (`1`, `000001`), a file name,
 * a whole id, and only then the first characters of an id. So `1` is always the first record,
 * never whichever record's random id happens to start with a 1.
 */
function matchRecords<T extends { name: string; sequence: number | null; record: SignedRecord }>(
  named: readonly T[],
  wanted: string | undefined,
): T[] {
  if (wanted === undefined) return named.slice(-1);
  const id = wanted.toLowerCase();
  const exact = [
    /^\d+$/.test(wanted) ? named.filter(({ sequence }) => sequence === Number(wanted)) : [],
    named.filter(({ name }) => name === wanted),
    named.filter(({ record }) => record.body.id === id),
  ].find((found) => found.length > 0);
  return exact ?? named.filter(({ record }) => record.body.id.startsWith(id));
}

function reporterOf(value: string | undefined): RecordReporter {
  const reporter = value ?? "text";
  if (!(RECORD_REPORTERS as readonly string[]).includes(reporter)) {
    throw new ParityInputError(`--reporter ${reporter}: use one of ${RECORD_REPORTERS.join(", ")}`);
  }
  return reporter as RecordReporter;
}

async function promotionSettings(
  options: { config?: string; variables?: Readonly<Record<string, string | undefined>> },
  cwd: string,
): Promise<PromotionSettings> {
  const file = options.config !== undefined ? resolve(cwd, options.config) : await findConfigFile(cwd);
  const info = await stat(file).catch(() => undefined);
  if (!info) {
    throw new ParityInputError(
      options.config !== undefined
        ? `cannot read the config ${file}: file not found`
        : `no key to verify with: pass --public-key FILE, or --config FILE with a promotion: block (no ${file})`,
    );
  }
  // A FIFO or device as the config would block the read.
  if (!info.isFile()) throw new ParityInputError(`the config ${file} is not a regular file`);
  const config = await loadParityConfig(file, options.variables ? { env: options.variables } : {});
  return resolvePromotionSettings(config);
}

async function verifiersFor(
  publicKeys: string[],
  settings: PromotionSettings | undefined,
  cwd: string,
): Promise<RecordVerifier[]> {
  if (publicKeys.length > 0) {
    return Promise.all(publicKeys.map((file) => loadVerifier({ publicKeyFile: resolve(cwd, file) })));
  }
  const promotion = settings as PromotionSettings;
  // The public key is enough to verify and is what an auditor holds; the private key is the fallback.
  return [
    await loadVerifier(
      promotion.publicKeyFile !== undefined
        ? { publicKeyFile: promotion.publicKeyFile }
        : { privateKey: promotion.signingKey },
    ),
  ];
}
