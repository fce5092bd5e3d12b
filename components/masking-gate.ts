// The gate between a freshly restored non-production database and everyone who wants to connect:
// a dynamic resource whose create runs masking against the new database. Connection info
// (endpoint outputs, SSM connection parameters) and the app's network access (quarantine.ts) are
// derived from the gate's outputs, so they only exist once masking succeeded; a failed masking run
// fails the create and the clone stays quarantined. The run has a connect timeout and an overall
// deadline, after which the worker is killed (PostgreSQL rolls the masking transaction back).
//
// A new masking key on an existing clone is not applied silently: the gate records the key's
// fingerprint (an HMAC of a fixed label, never the key), a key change is a change, and the update
// fails naming both fingerprints: bump the clone generation (or restore the key). A state recorded
// before fingerprints asks the worker, which reads the clone's masking record.
//
// Rules changes reach existing clones: the gate records which columns it masked with which rule;
// on a later `up` whose rules rule NEW columns it masks just those (same key, so the result is what a
// fresh clone would get), and when a rule of an already masked column changed it fails naming the
// columns (masking masked data again would not match a fresh clone): bump the clone generation.
//
// State holds no machine-specific paths: the rules file, the worker command and its cwd are
// recorded relative to the program's directory and resolved when the provider runs.
//
// Pulumi serializes the provider into the stack and runs it in its own process, so everything it
// uses must be inside these functions: node builtins come from process.getBuiltinModule (not
// imports, which the serializer cannot follow), and the masking library runs in a child process
// (masking-worker.ts) started with tsx.
import * as pulumi from "@pulumi/pulumi";

export interface MaskingRequest {
  databaseUrl: string;
  rulesFile: string;
  key: string;
  /** The worker command, `[executable, ...args]`, and its working directory. */
  command: readonly string[];
  cwd: string;
  /** Mask only these columns (`schema.table.column`); all ruled columns when omitted. */
  columns?: readonly string[];
  /** Mask nothing, only check the clone's masking record against the key. */
  verifyKeyOnly?: boolean;
  /** Give up connecting after this long (the worker's own check before masking). */
  connectTimeoutMs?: number;
  /** Kill the worker after this long; the clone stays quarantined. */
  deadlineMs?: number;
}

export interface MaskingResult {
  tables: number;
  rows: number;
  durationMs: number;
  /** The key's fingerprint as the clone's masking record holds it (audit/masking/marker.ts). */
  keyFingerprint?: string;
}

/**
 * The masking key's fingerprint, exactly as audit/masking/marker.ts computes it (test/components
 * asserts they agree): computed here because the serialized provider cannot import the library.
 */
export function gateKeyFingerprint(key: string): string {
  const { createHmac } = process.getBuiltinModule("node:crypto") as typeof import("node:crypto");
  return `hmac-sha256:${createHmac("sha256", key).update("parity masking key fingerprint v1").digest("hex").slice(0, 16)}`;
}

/** Runs masking against one database. The default starts masking-worker.ts; tests inject their own. */
export interface MaskingRunner {
  mask(request: MaskingRequest): Promise<MaskingResult>;
}

/**
 * Starts the worker, hands it the request on stdin (the database password and the masking key never
 * appear in argv or the environment), and reads its JSON report from the last line of stdout.
 * `node` as the executable means the Node running the provider; a relative cwd is resolved against
 * the provider's working directory (the Pulumi program's). Past `deadlineMs` the worker is killed.
 */
export const workerMaskingRunner: MaskingRunner = {
  mask(request) {
    const { spawn } = process.getBuiltinModule("node:child_process") as typeof import("node:child_process");
    const { resolve: resolvePath } = process.getBuiltinModule("node:path") as typeof import("node:path");
    const [command, ...args] = request.command;
    if (!command) return Promise.reject(new Error("masking: empty worker command"));
    const executable = command === "node" ? process.execPath : command;
    return new Promise((resolve, reject) => {
      const child = spawn(executable, args, {
        cwd: resolvePath(request.cwd),
        stdio: ["pipe", "pipe", "pipe"],
      });
      let timedOut = false;
      const deadline =
        request.deadlineMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              child.kill("SIGKILL");
            }, request.deadlineMs);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("error", (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(deadline);
        if (timedOut) {
          reject(
            new Error(
              `masking did not finish within ${Math.round((request.deadlineMs ?? 0) / 1000)} s; the worker was killed and nothing was committed`,
            ),
          );
          return;
        }
        if (code !== 0) {
          reject(new Error(`masking worker exited with code ${code}: ${stderr.trim() || stdout.trim()}`));
          return;
        }
        const last = stdout.trim().split("\n").pop() ?? "";
        try {
          resolve(JSON.parse(last) as MaskingResult);
        } catch {
          reject(new Error(`masking worker printed no report (stdout: ${stdout.trim().slice(0, 500)})`));
        }
      });
      child.stdin.end(
        JSON.stringify({
          databaseUrl: request.databaseUrl,
          rulesFile: request.rulesFile,
          key: request.key,
          ...(request.columns === undefined ? {} : { columns: request.columns }),
          ...(request.verifyKeyOnly ? { verifyKeyOnly: true } : {}),
          ...(request.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: request.connectTimeoutMs }),
        }),
      );
    });
  },
};

/** What the gate needs to reach the new database and mask it. */
export interface MaskingGateInputs {
  databaseIdentifier: string;
  /** The physical database (dbi-/cluster- resource id): a new one means a new, unmasked copy. */
  databaseResourceId: string;
  host: string;
  port: number;
  databaseName: string;
  username: string;
  password: string;
  rulesFile: string;
  rulesDigest: string;
  key: string;
  command: string[];
  cwd: string;
  /** `sslmode` for the connection; RDS PostgreSQL 15+ refuses unencrypted connections. */
  sslMode: string;
  /** `schema.table.column` → its rule (`email`, `fixed:"0000"`, `keep`…), from the rules file. */
  ruledColumns?: Record<string, string>;
  connectTimeoutMs?: number;
  deadlineMs?: number;
}

/** What the gate records (never the password or the key). */
export interface MaskingGateOutputs {
  databaseIdentifier: string;
  databaseResourceId: string;
  host: string;
  port: number;
  rulesFile: string;
  /** Digest of the rules the data was masked with; a later rules change applies on the next refresh. */
  rulesDigest: string;
  /** `schema.table.column` → the rule its data was masked with (and `keep`/`safe` columns). */
  maskedColumns?: Record<string, string>;
  /** Fingerprint of the key the data was masked with (absent in states written before it). */
  keyFingerprint?: string;
  maskedAt: string;
  tablesMasked: number;
  rowsMasked: number;
}

/** Leaves data as it is (the masking library's `keep` and reviewed `safe`). */
function leavesData(rule: string | undefined): boolean {
  return rule === undefined || rule === "keep" || rule === "safe";
}

/**
 * What a rules change means for an already masked clone. `toMask`: columns whose data is still
 * production's (no rule before, or keep/safe) and now has a data-changing rule — masking them now
 * gives exactly what a fresh clone gets. `conflicts`: columns masked before whose rule changed —
 * masking masked values again would not, so those need a new clone.
 */
export function planRemask(
  masked: Readonly<Record<string, string>>,
  ruled: Readonly<Record<string, string>>,
): { toMask: string[]; conflicts: string[] } {
  const toMask: string[] = [];
  const conflicts: string[] = [];
  for (const [column, rule] of Object.entries(ruled)) {
    const before = masked[column];
    if (before === rule || leavesData(rule)) continue;
    if (leavesData(before)) toMask.push(column);
    else conflicts.push(`${column} (${before} → ${rule})`);
  }
  return { toMask: toMask.sort(), conflicts: conflicts.sort() };
}

/** Inputs whose change means a different physical database, which must be masked again. */
export const REMASK_ON_CHANGE = ["databaseIdentifier", "databaseResourceId", "host"] as const;

/** The runner request for the gate's inputs: the URL with credentials, the files, the limits. */
export function maskingRequest(inputs: MaskingGateInputs): MaskingRequest {
  const credentials = `${encodeURIComponent(inputs.username)}:${encodeURIComponent(inputs.password)}`;
  return {
    databaseUrl:
      `postgresql://${credentials}@${inputs.host}:${inputs.port}/${encodeURIComponent(inputs.databaseName)}` +
      `?sslmode=${encodeURIComponent(inputs.sslMode)}`,
    rulesFile: inputs.rulesFile,
    key: inputs.key,
    command: inputs.command,
    cwd: inputs.cwd,
    ...(inputs.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: inputs.connectTimeoutMs }),
    ...(inputs.deadlineMs === undefined ? {} : { deadlineMs: inputs.deadlineMs }),
  };
}

export function maskingGateProvider(
  runner: MaskingRunner = workerMaskingRunner,
): pulumi.dynamic.ResourceProvider {
  return {
    async check(_olds, news) {
      const failures: { property: string; reason: string }[] = [];
      for (const property of ["databaseIdentifier", "host", "databaseName", "username", "rulesFile", "key"]) {
        if (typeof news[property] !== "string" || news[property] === "") {
          failures.push({ property, reason: `the masking gate needs ${property}` });
        }
      }
      if (!Array.isArray(news.command) || news.command.length === 0) {
        failures.push({ property: "command", reason: "the masking gate needs a worker command" });
      }
      return { inputs: news, failures };
    },

    async create(raw) {
      const inputs = raw as MaskingGateInputs;
      const result = await runner.mask(maskingRequest(inputs));
      if (!result || typeof result.tables !== "number" || result.tables < 1) {
        // A run that touched no table did not mask anything: refuse rather than hand the clone out.
        throw new Error(
          `masking ${inputs.databaseIdentifier} masked no table with ${inputs.rulesFile}; refusing to publish an unmasked clone`,
        );
      }
      const outs: MaskingGateOutputs = {
        databaseIdentifier: inputs.databaseIdentifier,
        databaseResourceId: inputs.databaseResourceId,
        host: inputs.host,
        port: inputs.port,
        rulesFile: inputs.rulesFile,
        rulesDigest: inputs.rulesDigest,
        maskedColumns: inputs.ruledColumns ?? {},
        keyFingerprint: result.keyFingerprint ?? gateKeyFingerprint(inputs.key),
        maskedAt: new Date().toISOString(),
        tablesMasked: result.tables,
        rowsMasked: result.rows,
      };
      return { id: `${inputs.databaseIdentifier}/${inputs.databaseResourceId}`, outs };
    },

    async diff(_id, olds, news) {
      const replaces = REMASK_ON_CHANGE.filter((key) => olds[key] !== news[key]);
      const changed =
        replaces.length > 0 ||
        olds.port !== news.port ||
        olds.rulesFile !== news.rulesFile ||
        olds.rulesDigest !== news.rulesDigest ||
        // Another key, or a state that predates fingerprints (the update asks the clone once).
        olds.keyFingerprint !== gateKeyFingerprint(String(news.key ?? ""));
      return { changes: changed, replaces, deleteBeforeReplace: false };
    },

    async update(id, rawOlds, rawNews) {
      // Same database: the data is already masked. Only columns the rules newly cover are masked now.
      const olds = rawOlds as MaskingGateOutputs;
      const news = rawNews as MaskingGateInputs;
      const fingerprint = gateKeyFingerprint(news.key);
      if (olds.keyFingerprint !== undefined && olds.keyFingerprint !== fingerprint) {
        throw new Error(
          `masking ${id}: the masking key changed since this clone was masked (fingerprint ${olds.keyFingerprint}, the key now given is ${fingerprint}); its data stays masked with the old key, and masking newly ruled columns with the new one would mix two keys in one clone. Bump the clone generation (parity:cloneGeneration) to clone and mask it again with the new key, or restore the old key`,
        );
      }
      // Recorded before fingerprints: the clone's own masking record says which key it has.
      if (olds.keyFingerprint === undefined)
        await runner.mask({ ...maskingRequest(news), verifyKeyOnly: true });
      const ruled = news.ruledColumns ?? {};
      // State written before columns were recorded: masked with the rules of its digest.
      const masked = olds.maskedColumns ?? (olds.rulesDigest === news.rulesDigest ? ruled : undefined);
      if (masked === undefined) {
        throw new Error(
          `masking ${id}: the rules changed since this clone was masked, and it predates parity's record of masked columns; bump the clone generation (parity:cloneGeneration) to clone and mask it again`,
        );
      }
      const { toMask, conflicts } = planRemask(masked, ruled);
      if (conflicts.length > 0) {
        throw new Error(
          `masking ${id}: the rules changed for columns already masked: ${conflicts.join(", ")}. Masking masked values again would not match a fresh clone; bump the clone generation (parity:cloneGeneration) to clone and mask it again`,
        );
      }
      if (toMask.length > 0) await runner.mask({ ...maskingRequest(news), columns: toMask });
      const now: Record<string, string> = { ...masked };
      for (const [column, rule] of Object.entries(ruled))
        if (!(column in now) || toMask.includes(column)) now[column] = rule;
      const outs: MaskingGateOutputs = {
        ...olds,
        port: news.port,
        rulesFile: news.rulesFile,
        rulesDigest: news.rulesDigest,
        maskedColumns: now,
        keyFingerprint: fingerprint,
      };
      return { outs };
    },

    async delete() {
      // Nothing to undo: the database itself is deleted by its own resource.
    },
  };
}

export interface MaskingGateArgs {
  databaseIdentifier: pulumi.Input<string>;
  databaseResourceId: pulumi.Input<string>;
  host: pulumi.Input<string>;
  port: pulumi.Input<number>;
  databaseName: pulumi.Input<string>;
  username: pulumi.Input<string>;
  password: pulumi.Input<string>;
  rulesFile: string;
  rulesDigest: string;
  key: pulumi.Input<string>;
  command: readonly string[];
  cwd: string;
  sslMode?: string;
  ruledColumns?: Record<string, string>;
  connectTimeoutMs?: number;
  deadlineMs?: number;
}

/** Type token `pulumi-nodejs:dynamic/parity:MaskingGate`. */
export class MaskingGate extends pulumi.dynamic.Resource {
  declare readonly host: pulumi.Output<string>;
  declare readonly port: pulumi.Output<number>;
  declare readonly maskedAt: pulumi.Output<string>;
  declare readonly rulesDigest: pulumi.Output<string>;
  declare readonly maskedColumns: pulumi.Output<Record<string, string>>;
  declare readonly tablesMasked: pulumi.Output<number>;
  declare readonly rowsMasked: pulumi.Output<number>;

  constructor(
    name: string,
    args: MaskingGateArgs,
    opts?: pulumi.CustomResourceOptions,
    provider: pulumi.dynamic.ResourceProvider = maskingGateProvider(),
  ) {
    super(
      provider,
      name,
      {
        ...args,
        command: [...args.command],
        sslMode: args.sslMode ?? "no-verify",
        password: pulumi.secret(args.password),
        key: pulumi.secret(args.key),
        maskedAt: undefined,
        maskedColumns: undefined,
        tablesMasked: undefined,
        rowsMasked: undefined,
      },
      opts,
      "parity",
      "MaskingGate",
    );
  }
}
