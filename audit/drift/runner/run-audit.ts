// Runs every check for every environment and compares each target with the baseline.
// All environments are read concurrently and the baseline only once. An environment (or one of
// its sources) that cannot be read becomes an error for it; the others are still audited.

import type { AuditCheck } from "../../core/check.ts";
import { EnvironmentReadError, ParityInputError } from "../../core/errors.ts";
import { compareFindings, type Finding } from "../../core/finding.ts";
import { connectionSettings, withConnectionSignal } from "../../core/pg-client.ts";
import {
  discoverFromPulumi,
  substituteStackOutputs,
  usesStackOutputs,
} from "../../parity-config/discovery/pulumi-outputs.ts";
import type { EnvironmentSpec, ParityConfig } from "../../parity-config/types.ts";
import { applyIgnoreList } from "./ignore.ts";
import {
  type AuditResult,
  type CheckOutcome,
  type CheckRegistry,
  type EnvironmentError,
  type EnvironmentOutcome,
  type ExitCode,
  SOURCE_KINDS,
  type SourceKind,
} from "./result.ts";
import { applyRuleLevels } from "./rule-levels.ts";

export type ProgressEvent =
  | { type: "start"; reads: number }
  | { type: "read-done"; environment: string; check: string; ok: boolean };

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

  // Each environment reports its reading (and one promise per check it reads) once discovery has
  // settled which sources it has; a check with a finish step finishes as soon as every
  // environment's read of it is in, not when the slowest source of any other check is.
  const readings = new Map<string, EnvironmentReading>();
  const pending = new Map<string, Promise<void>[]>();
  const finishAlone = sourcesFinishedAlone(config, names);
  const allStarted = Promise.all(
    names.map(
      (name) =>
        new Promise<void>((started, failed) => {
          readEnvironment(name, config, checksFor, { ...options, finishAlone }, (reading, jobs) => {
            readings.set(name, reading);
            for (const [key, job] of jobs) pending.set(key, [...(pending.get(key) ?? []), job]);
            started();
          }).catch(failed);
        }),
    ),
  );
  await allStarted;
  const finishes: Promise<void>[] = [];
  for (const source of SOURCE_KINDS) {
    if (finishAlone.has(source)) continue;
    for (const check of checksFor(source)) {
      if (!check.finish) continue;
      const key = `${source}:${check.id}`;
      finishes.push(
        Promise.all(pending.get(key) ?? []).then(() => finishCheck(key, check, baseline, readings, options)),
      );
    }
  }
  await Promise.all([...[...pending.values()].flat(), ...finishes]);

  const { rawByCheck, errors } = compareTargets(baseline, targets, readings, checksFor);

  // `rules:` levels first: a rule switched off produces nothing (so an ignore entry for it is
  // unused and says so), and a finding raised to error is hidden by the ignore list like any error.
  for (const entry of rawByCheck) entry.findings = applyRuleLevels(entry.findings, config.rules);
  // The ignore list applies across all checks at once, so "unused" means unused everywhere.
  const allRaw = rawByCheck.flatMap((entry) => entry.findings);
  const ignoreOutcome = applyIgnoreList(allRaw, config.ignore, {
    now: options.now ?? new Date(),
    environments: names,
  });
  // The ignore list's own findings (expired, unused entries) take their levels from `rules:` too.
  ignoreOutcome.listFindings = applyRuleLevels(ignoreOutcome.listFindings, config.rules);
  const hidden = new Set(ignoreOutcome.ignored.map((entry) => entry.finding));
  const checks = rawByCheck.map(({ outcome, findings }) => {
    const reported = findings.filter((finding) => !hidden.has(finding)).sort(compareFindings);
    const status =
      outcome.status === "passed" && reported.some((finding) => finding.severity === "error")
        ? "failed"
        : outcome.status;
    return { ...outcome, status, findings: reported, ignoredCount: findings.length - reported.length };
  });

  const findings = [...ignoreOutcome.reported, ...ignoreOutcome.listFindings].sort(compareFindings);
  const environments: EnvironmentOutcome[] = names.map((name) => {
    // A target whose baseline could not be read was not compared either: not "ok".
    const hasError =
      errors.some((error) => error.environment === name) ||
      checks.some((check) => check.environment === name && check.status === "error");
    const hasDrift = findings.some((f) => f.location.environment === name && f.severity === "error");
    return {
      name,
      role: name === baseline ? "baseline" : "target",
      status: hasError ? "error" : hasDrift ? "drift" : "ok",
    };
  });
  const count = (severity: Finding["severity"]) => findings.filter((f) => f.severity === severity).length;
  const summary = {
    environments: names.length,
    errors: count("error"),
    warnings: count("warning"),
    infos: count("info"),
    ignored: ignoreOutcome.ignored.length,
    unreadable: new Set(errors.map((error) => error.environment)).size,
  };
  const exitCode: ExitCode = errors.length > 0 ? 2 : summary.errors > 0 ? 1 : 0;

  return {
    configFile: config.file,
    baseline,
    targets,
    environments,
    checks,
    findings,
    ignored: ignoreOutcome.ignored,
    errors,
    summary,
    exitCode,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}

interface RawCheck {
  outcome: CheckOutcome;
  findings: Finding[];
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
          outcome.status = "skipped";
          outcome.message = inTarget
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
          const findings = check.compare(base.snapshot, mine.snapshot, { baseline, target });
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
 * A check with a finish step holds each environment's read open until every environment has read
 * (the paired schema read keeps a connection per database). With more such environments than the
 * connection cap allows open at once, holding them would deadlock on the cap: each read is then
 * finished on its own, as its own baseline (a full read that releases its connection at once).
 */
function sourcesFinishedAlone(config: ParityConfig, names: readonly string[]): Set<SourceKind> {
  const { maxConnections } = connectionSettings();
  const alone = new Set<SourceKind>();
  for (const source of SOURCE_KINDS) {
    const holding = names.filter((name) => config.environments[name]?.[source] !== undefined).length;
    if (holding > maxConnections) alone.add(source);
  }
  return alone;
}

async function readEnvironment(
  name: string,
  config: ParityConfig,
  checksFor: (source: SourceKind) => readonly AuditCheck<unknown, unknown>[],
  options: RunAuditOptions & { finishAlone: ReadonlySet<SourceKind> },
  onStarted: (reading: EnvironmentReading, jobs: ReadonlyMap<string, Promise<void>>) => void,
): Promise<void> {
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

  const reads = new Map<string, ReadOutcome>();
  const jobs = new Map<string, Promise<void>>();
  for (const source of SOURCE_KINDS) {
    const sourceSpec = sources[source];
    if (sourceSpec === undefined) continue;
    for (const check of checksFor(source)) {
      jobs.set(
        `${source}:${check.id}`,
        (async () => {
          let outcome: ReadOutcome;
          const readStarted = performance.now();
          try {
            let snapshot = await readWithTimeout(
              (signal) => check.read(sourceSpec, { environment: name, configDir: config.dir, signal }),
              options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
              options.signal,
            );
            const finish = check.finish?.bind(check);
            if (finish && options.finishAlone.has(source)) {
              const read = snapshot;
              const finished = await readWithTimeout(
                (signal) => finish(new Map([[name, read]]), { baseline: name, signal }),
                options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
                options.signal,
              );
              snapshot = finished.get(name) ?? new Error("its read was not finished");
              if (snapshot instanceof Error) throw snapshot;
            }
            outcome = { ok: true, snapshot };
          } catch (error) {
            const message = describeReadError(name, check.id, error);
            outcome = { ok: false, message };
            errors.push({ environment: name, check: check.id, message });
          }
          outcome.durationMs = performance.now() - readStarted;
          reads.set(`${source}:${check.id}`, outcome);
          options.onProgress?.({ type: "read-done", environment: name, check: check.id, ok: outcome.ok });
        })(),
      );
    }
  }
  onStarted({ sources, reads, errors }, jobs);
  await Promise.all(jobs.values());
}

/**
 * The second step of a check that has one (see AuditCheck.finish): it gets every read of it that
 * succeeded, across environments, and turns them into snapshots; an environment it fails for
 * gets an error, as for a failed read.
 */
async function finishCheck(
  key: string,
  check: AuditCheck<unknown, unknown>,
  baseline: string,
  readings: ReadonlyMap<string, EnvironmentReading>,
  options: RunAuditOptions,
): Promise<void> {
  const finish = check.finish?.bind(check);
  const reads = new Map<string, unknown>();
  for (const [name, reading] of readings) {
    const outcome = reading.reads.get(key);
    if (outcome?.ok) reads.set(name, outcome.snapshot);
  }
  if (!finish || reads.size === 0) return;
  let finished: Map<string, unknown>;
  const finishStarted = performance.now();
  try {
    finished = await readWithTimeout(
      (signal) => finish(reads, { baseline, signal }),
      options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
      options.signal,
    );
  } catch (error) {
    finished = new Map([...reads.keys()].map((name) => [name, error]));
  }
  // The finish step's time is shared by every environment it finished.
  const finishShare = (performance.now() - finishStarted) / reads.size;
  for (const name of reads.keys()) {
    const reading = readings.get(name) as EnvironmentReading;
    const result = finished.get(name);
    const readTime = reading.reads.get(key)?.durationMs ?? 0;
    if (result instanceof Error || result === undefined) {
      const message = describeReadError(name, check.id, result ?? new Error("its read was not finished"));
      reading.reads.set(key, { ok: false, message, durationMs: readTime + finishShare });
      reading.errors.push({ environment: name, check: check.id, message });
    } else {
      reading.reads.set(key, { ok: true, snapshot: result, durationMs: readTime + finishShare });
    }
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
