// Runs every check for every environment and compares each target with the baseline.
// All environments are read concurrently and the baseline only once. An environment (or one of
// its sources) that cannot be read becomes an error for it; the others are still audited.

import type { AuditCheck } from "../../core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../core/errors.ts";
import { connectionSettings, withConnectionSignal } from "../../core/pg-client.ts";
import {
  discoverFromPulumi,
  substituteStackOutputs,
  usesStackOutputs,
} from "../../parity-config/discovery/pulumi-outputs.ts";
import type { EnvironmentSpec, ParityConfig } from "../../parity-config/types.ts";
import {
  type AuditResult,
  type CheckOutcome,
  type CheckRegistry,
  type EnvironmentError,
  SOURCE_KINDS,
  type SourceKind,
} from "./result.ts";
import { applyRuleLevels } from "./rule-levels.ts";
import { auditVerdict, type RawCheck } from "./verdict.ts";

export type ProgressEvent =
  | { type: "start"; reads: number }
  | { type: "read-done"; environment: string; check: string; ok: boolean }
  /** A long read's catalog objects (rows) read so far grew by `count`. */
  | { type: "objects"; environment: string; count: number };

export interface RunAuditOptions {
  config: ParityConfig;
  registry: CheckRegistry;
  /** Only these target environments (default: every environment except the baseline). */
  environments?: readonly string[];
  /** Today, for ignore entries' `until` (default: now). */
  now?: Date;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Resolves `pulumi: { stack }` environments (injectable for tests). */
  discover?: typeof discoverFromPulumi;
  /** A read still running after this long is an error for its environment (default 10 minutes). */
  readTimeoutMs?: number;
}

const DEFAULT_READ_TIMEOUT_MS = 10 * 60_000;

type ResolvedSources = Partial<Record<SourceKind, unknown>>;
type ReadOutcome = ({ ok: true; snapshot: unknown } | { ok: false; message: string }) & {
  durationMs?: number;
};

interface EnvironmentReading {
  sources: ResolvedSources;
  /** Keyed by `${source}:${checkId}`. */
  reads: Map<string, ReadOutcome>;
  errors: EnvironmentError[];
}

export async function runAudit(options: RunAuditOptions): Promise<AuditResult> {
  const started = Date.now();
  const { config, registry } = options;
  const baseline = config.baseline;
  const targets = selectTargets(config, options.environments);
  const checksFor = (source: SourceKind): readonly AuditCheck<unknown, unknown>[] =>
    registry[source] as readonly AuditCheck<unknown, unknown>[];

  const names = [baseline, ...targets];
  const reads = names.reduce((total, name) => {
    const spec = config.environments[name] ?? {};
    const declared = SOURCE_KINDS.filter((source) => spec[source] !== undefined);
    // Discovery may add rds and config; count them so the progress total is right.
    if (spec.pulumi) for (const extra of ["rds", "config"] as const) if (!spec[extra]) declared.push(extra);
    return total + declared.reduce((sum, source) => sum + checksFor(source).length, 0);
  }, 0);
  options.onProgress?.({ type: "start", reads });

  // Each environment's sources are settled first (Pulumi discovery may add some). A check read
  // per environment starts as soon as that environment's are; a check that reads all
  // environments together, as soon as every environment's are. Either way a check is done when
  // its own reads are, not when the slowest read of another check is.
  const readings = new Map<string, EnvironmentReading>();
  const settled = new Map<string, Promise<EnvironmentReading>>();
  for (const name of names) {
    const reading = resolveSources(name, config, options).then((resolved) => {
      readings.set(name, resolved);
      return resolved;
    });
    settled.set(name, reading);
  }
  const everySettled = Promise.all(settled.values());
  const jobs: Promise<void>[] = [];
  const readAlone = sourcesReadAlone(config, names);
  for (const source of SOURCE_KINDS) {
    for (const check of checksFor(source)) {
      if (check.readTogether && !readAlone.has(source)) {
        jobs.push(everySettled.then(() => readTogether(source, check, baseline, readings, options)));
        continue;
      }
      for (const [name, reading] of settled) {
        jobs.push(reading.then((resolved) => readOne(name, resolved, source, check, options)));
      }
    }
  }
  await Promise.all(jobs);

  const { rawByCheck, errors } = compareTargets(baseline, targets, readings, checksFor);

  const verdict = auditVerdict({
    baseline,
    environments: names,
    checks: rawByCheck,
    errors,
    ignore: config.ignore,
    now: options.now ?? new Date(),
    levels: (findings) => applyRuleLevels(findings, config.rules),
  });
  return {
    configFile: config.file,
    baseline,
    targets,
    // environments, checks, findings, ignored, errors, summary, exitCode: in the report's order.
    ...verdict,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}

/** Every target against the baseline, check by check; the ignore list is applied afterwards. */
function compareTargets(
  baseline: string,
  targets: readonly string[],
  readings: ReadonlyMap<string, EnvironmentReading>,
  checksFor: (source: SourceKind) => readonly AuditCheck<unknown, unknown>[],
): { rawByCheck: RawCheck[]; errors: EnvironmentError[] } {
  const baselineReading = readings.get(baseline) as EnvironmentReading;
  const errors: EnvironmentError[] = [...baselineReading.errors];
  const rawByCheck: RawCheck[] = [];
  const baselineFindings = new Set<string>();

  for (const target of targets) {
    const reading = readings.get(target) as EnvironmentReading;
    errors.push(...reading.errors);
    for (const source of SOURCE_KINDS) {
      for (const check of checksFor(source)) {
        const outcome: CheckOutcome = {
          environment: target,
          check: check.id,
          source,
          status: "passed",
          findings: [],
          ignoredCount: 0,
        };
        const key = `${source}:${check.id}`;
        const inBaseline = baselineReading.sources[source] !== undefined;
        const inTarget = reading.sources[source] !== undefined;
        if (!inBaseline && !inTarget) continue;
        if (!inBaseline || !inTarget) {
          // Not declared, or not known because the Pulumi discovery that could fill it in failed.
          const side = inTarget ? baselineReading : reading;
          const sideName = inTarget ? `the baseline (${baseline})` : target;
          const discovery = side.errors.filter((error) => error.check === "pulumi-discovery");
          outcome.status = discovery.length > 0 ? "error" : "skipped";
          outcome.message =
            discovery.length > 0
              ? `not compared: the ${source} of ${sideName} could not be resolved (${discovery.map((error) => error.message).join("; ")})`
              : inTarget
                ? `the baseline (${baseline}) has no ${source} to compare with`
                : `${target} declares no ${source}`;
          rawByCheck.push({ outcome, findings: [] });
          continue;
        }
        const base = baselineReading.reads.get(key);
        const mine = reading.reads.get(key);
        if (!base?.ok || !mine?.ok) {
          outcome.status = "error";
          outcome.message = !mine?.ok
            ? (mine?.message ?? "not read")
            : `not compared: the baseline (${baseline}) could not be read`;
          outcome.durationMs = Math.round(mine?.durationMs ?? 0);
          rawByCheck.push({ outcome, findings: [] });
          continue;
        }
        try {
          const compareStarted = performance.now();
          const findings = check
            .compare(base.snapshot, mine.snapshot, { baseline, target })
            // A problem of the baseline alone is the same in every pair: reported once.
            .filter((finding) => {
              if (finding.location.environment !== baseline) return true;
              const key = `${finding.ruleId}\u0000${finding.location.object}\u0000${finding.message}`;
              if (baselineFindings.has(key)) return false;
              baselineFindings.add(key);
              return true;
            });
          outcome.durationMs = Math.round((mine.durationMs ?? 0) + performance.now() - compareStarted);
          rawByCheck.push({ outcome, findings });
        } catch (error) {
          outcome.status = "error";
          outcome.message = `comparing failed (this is a bug in the ${check.id} check): ${messageOf(error)}`;
          errors.push({ environment: target, check: check.id, message: outcome.message });
          rawByCheck.push({ outcome, findings: [] });
        }
      }
    }
  }

  return { rawByCheck, errors };
}

function selectTargets(config: ParityConfig, requested: readonly string[] | undefined): string[] {
  const all = Object.keys(config.environments).filter((name) => name !== config.baseline);
  if (!requested || requested.length === 0) return all;
  const problems = requested.flatMap((name) => {
    if (name === config.baseline) {
      return [`${name}: is the baseline; name the environments to compare with it (${all.join(", ")})`];
    }
    if (!(name in config.environments)) {
      return [`${name}: not in ${config.file} (known: ${Object.keys(config.environments).join(", ")})`];
    }
    return [];
  });
  if (problems.length > 0) throw new ParityInputError("invalid --env", problems);
  return all.filter((name) => requested.includes(name));
}

/**
 * A check that reads all environments together holds a connection per database until every one
 * has read (the paired schema read). With more such environments than the connection cap allows
 * open at once, that would deadlock on the cap: each environment is then read on its own (a full
 * read that releases its connection at once).
 */
function sourcesReadAlone(config: ParityConfig, names: readonly string[]): Set<SourceKind> {
  const { maxConnections } = connectionSettings();
  const alone = new Set<SourceKind>();
  for (const source of SOURCE_KINDS) {
    const holding = names.filter((name) => config.environments[name]?.[source] !== undefined).length;
    if (holding > maxConnections) alone.add(source);
  }
  return alone;
}

/** An environment's sources: as configured, plus what its Pulumi stack adds. */
async function resolveSources(
  name: string,
  config: ParityConfig,
  options: RunAuditOptions,
): Promise<EnvironmentReading> {
  const spec: EnvironmentSpec = config.environments[name] ?? {};
  const errors: EnvironmentError[] = [];
  const sources: ResolvedSources = {};
  for (const source of SOURCE_KINDS) if (spec[source] !== undefined) sources[source] = spec[source];

  if (spec.pulumi) {
    try {
      const discover = options.discover ?? discoverFromPulumi;
      const found = await discover(name, spec.pulumi, options.signal ? { signal: options.signal } : {});
      // What the config states explicitly wins over what the stack says.
      if (!sources.rds && found.rds) sources.rds = found.rds;
      if (!sources.config && found.config) sources.config = found.config;
      if (spec.database && usesStackOutputs(spec.database.url)) {
        sources.database = {
          ...spec.database,
          url: substituteStackOutputs(spec.database.url, found.outputs, name, spec.pulumi.stack),
        };
      }
    } catch (error) {
      errors.push({ environment: name, check: "pulumi-discovery", message: messageOf(error) });
      // A URL still holding ${pulumi.…} cannot be connected to; the error above says why.
      if (spec.database && usesStackOutputs(spec.database.url)) delete sources.database;
    }
  }
  return { sources, reads: new Map(), errors };
}

function record(
  reading: EnvironmentReading,
  key: { name: string; source: SourceKind; check: string },
  outcome: ReadOutcome,
  options: RunAuditOptions,
) {
  reading.reads.set(`${key.source}:${key.check}`, outcome);
  if (!outcome.ok) reading.errors.push({ environment: key.name, check: key.check, message: outcome.message });
  options.onProgress?.({ type: "read-done", environment: key.name, check: key.check, ok: outcome.ok });
}

/** One check's read of one environment. */
async function readOne(
  name: string,
  reading: EnvironmentReading,
  source: SourceKind,
  check: AuditCheck<unknown, unknown>,
  options: RunAuditOptions,
): Promise<void> {
  const sourceSpec = reading.sources[source];
  if (sourceSpec === undefined) return;
  let outcome: ReadOutcome;
  const readStarted = performance.now();
  try {
    const snapshot = await readWithTimeout(
      (signal) =>
        check.read(sourceSpec, {
          environment: name,
          configDir: options.config.dir,
          signal,
          onObjects: (count) => options.onProgress?.({ type: "objects", environment: name, count }),
        }),
      options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
      options.signal,
    );
    outcome = { ok: true, snapshot };
  } catch (error) {
    outcome = { ok: false, message: describeReadError(name, check.id, error) };
  }
  outcome.durationMs = performance.now() - readStarted;
  record(reading, { name, source, check: check.id }, outcome, options);
}

/**
 * One check's read of every environment that has its source, together (AuditCheck.readTogether).
 * An environment it returns an error for, or that it leaves out, gets an error, as for a failed
 * read; when it throws or times out, every environment it was given does.
 */
async function readTogether(
  source: SourceKind,
  check: AuditCheck<unknown, unknown>,
  baseline: string,
  readings: ReadonlyMap<string, EnvironmentReading>,
  options: RunAuditOptions,
): Promise<void> {
  const read = check.readTogether?.bind(check);
  const specs = new Map<string, unknown>();
  for (const [name, reading] of readings) {
    if (reading.sources[source] !== undefined) specs.set(name, reading.sources[source]);
  }
  if (!read || specs.size === 0) return;
  let results: Map<string, unknown>;
  const readStarted = performance.now();
  try {
    results = await readWithTimeout(
      (signal) =>
        read(specs, {
          baseline,
          configDir: options.config.dir,
          signal,
          onObjects: (environment, count) => options.onProgress?.({ type: "objects", environment, count }),
        }),
      options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
      options.signal,
    );
  } catch (error) {
    results = new Map([...specs.keys()].map((name) => [name, error]));
  }
  // The joint read's time is shared by every environment it read.
  const durationMs = (performance.now() - readStarted) / specs.size;
  for (const name of specs.keys()) {
    const result = results.get(name);
    const outcome: ReadOutcome =
      result instanceof Error || result === undefined
        ? {
            ok: false,
            message: describeReadError(name, check.id, result ?? new Error("its read was not finished")),
            durationMs,
          }
        : { ok: true, snapshot: result, durationMs };
    record(readings.get(name) as EnvironmentReading, { name, source, check: check.id }, outcome, options);
  }
}

/**
 * One hung source (a blackholed database host, a stuck API) must not hold the whole audit hostage:
 * past the timeout, or when the audit is cancelled, the read is abandoned at once (and told so
 * through its signal) and becomes an error. Connections it opened are destroyed through the same
 * signal (withConnectionSignal), so a check that never looks at its signal still lets go.
 */
async function readWithTimeout<T>(
  read: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onOuterAbort = () => {};
  const timeout = new Promise<never>((_, reject) => {
    onOuterAbort = () => {
      const error = new Error("cancelled");
      controller.abort(error);
      reject(error);
    };
    if (outer?.aborted) onOuterAbort();
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    timer = setTimeout(() => {
      const error = new Error(
        `no answer within ${timeoutMs < 1000 ? `${timeoutMs}ms` : `${Math.round(timeoutMs / 1000)}s`}; gave up`,
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const reading = withConnectionSignal(controller.signal, () => read(controller.signal));
    reading.catch(() => undefined); // abandoned on timeout: its late failure is not unhandled
    return await Promise.race([reading, timeout]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

function describeReadError(environment: string, check: string, error: unknown): string {
  if (error instanceof EnvironmentReadError) return error.message;
  if (error instanceof ParityInputError) return `${environment}: ${error.message}`;
  return `${environment}: could not read ${check}: ${messageOf(error)}`;
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map((inner) => messageOf(inner)).join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}
