// The gate between a freshly restored non-production database and everyone who wants to connect:
// a dynamic resource whose create runs masking against the new database. Connection info
// (endpoint outputs, SSM connection parameters) is taken from the gate's outputs, so it only
// exists once masking succeeded; a failed masking run fails the create and nothing is handed out.
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
}

export interface MaskingResult {
  tables: number;
  rows: number;
  durationMs: number;
}

/** Runs masking against one database. The default starts masking-worker.ts; tests inject their own. */
export interface MaskingRunner {
  mask(request: MaskingRequest): Promise<MaskingResult>;
}

/**
 * Starts the worker, hands it the request on stdin (the database password and the masking key never
 * appear in argv or the environment), and reads its JSON report from the last line of stdout.
 */
export const workerMaskingRunner: MaskingRunner = {
  mask(request) {
    const { spawn } = process.getBuiltinModule("node:child_process") as typeof import("node:child_process");
    const [executable, ...args] = request.command;
    if (!executable) return Promise.reject(new Error("masking: empty worker command"));
    return new Promise((resolve, reject) => {
      const child = spawn(executable, args, { cwd: request.cwd, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => {
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
        JSON.stringify({ databaseUrl: request.databaseUrl, rulesFile: request.rulesFile, key: request.key }),
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
  maskedAt: string;
  tablesMasked: number;
  rowsMasked: number;
}

/** Inputs whose change means a different physical database, which must be masked again. */
export const REMASK_ON_CHANGE = ["databaseIdentifier", "databaseResourceId", "host"] as const;

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
      const credentials = `${encodeURIComponent(inputs.username)}:${encodeURIComponent(inputs.password)}`;
      const databaseUrl =
        `postgresql://${credentials}@${inputs.host}:${inputs.port}/${encodeURIComponent(inputs.databaseName)}` +
        `?sslmode=${encodeURIComponent(inputs.sslMode)}`;
      const result = await runner.mask({
        databaseUrl,
        rulesFile: inputs.rulesFile,
        key: inputs.key,
        command: inputs.command,
        cwd: inputs.cwd,
      });
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
        maskedAt: new Date().toISOString(),
        tablesMasked: result.tables,
        rowsMasked: result.rows,
      };
      return { id: `${inputs.databaseIdentifier}/${inputs.databaseResourceId}`, outs };
    },

    async diff(_id, olds, news) {
      const replaces = REMASK_ON_CHANGE.filter((key) => olds[key] !== news[key]);
      const changed = replaces.length > 0 || olds.port !== news.port || olds.rulesFile !== news.rulesFile;
      return { changes: changed, replaces, deleteBeforeReplace: false };
    },

    async update(_id, olds, news) {
      // Same database: the data is already masked. Re-masking masked data would break determinism
      // (the same production row must always become the same staging row), so only record the move.
      return { outs: { ...olds, port: news.port, rulesFile: news.rulesFile } };
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
}

/** Type token `pulumi-nodejs:dynamic/parity:MaskingGate`. */
export class MaskingGate extends pulumi.dynamic.Resource {
  declare readonly host: pulumi.Output<string>;
  declare readonly port: pulumi.Output<number>;
  declare readonly maskedAt: pulumi.Output<string>;
  declare readonly rulesDigest: pulumi.Output<string>;
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
        tablesMasked: undefined,
        rowsMasked: undefined,
      },
      opts,
      "parity",
      "MaskingGate",
    );
  }
}
