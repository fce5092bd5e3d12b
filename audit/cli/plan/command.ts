// `parity plan` as a typed function: resolve --from and --to (environment names through the
// parity config, or URLs), read both schemas with the audit's own read, plan, render. Writing
// is the caller's: it gets the content, where it goes and the exit code.
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { EnvironmentReadError, ParityInputError } from "../../core/errors.ts";
import { loadParityConfig } from "../../parity-config/load.ts";
import { PLAN_SCHEMA_VERSION, type PlanFile, type PlanIdentity } from "../../plan/plan-file.ts";
import { planMigration } from "../../plan/planner.ts";
import { renderPlanJson, renderPlanSql } from "../../plan/render.ts";
import { type IntrospectOptions, introspectDatabase } from "../../schema/introspect.ts";
import type { DatabaseSnapshot } from "../../schema/model.ts";

export const PLAN_REPORTERS = ["text", "json"] as const;
export type PlanReporter = (typeof PLAN_REPORTERS)[number];

export interface PlanCommandOptions {
  /** Environment name or postgres:// URL whose schema the plan reproduces. */
  from: string;
  /** Environment name or URL the plan is for. */
  to: string;
  /** Parity config, needed only for environment names (default `parity.config.yaml`). */
  config?: string;
  /** File to write the plan to (atomically); stdout when absent. */
  out?: string;
  reporter?: string;
  cwd?: string;
  variables?: Readonly<Record<string, string | undefined>>;
}

export interface PlanCommandResult {
  plan: PlanFile;
  /** The rendered plan; with refusals it goes to stderr and no file is written. */
  content: string;
  out?: string;
  /** 0 nothing to change, 1 a plan with statements, 2 refusals. */
  exitCode: 0 | 1 | 2;
}

interface Side {
  label: string;
  url: string;
  environment: string | null;
  options: IntrospectOptions;
}

function isUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

async function resolveSides(options: PlanCommandOptions, cwd: string): Promise<[Side, Side]> {
  const names = [options.from, options.to];
  const needsConfig = names.some((name) => !isUrl(name));
  const config = needsConfig
    ? await loadParityConfig(resolve(cwd, options.config ?? "parity.config.yaml"), {
        ...(options.variables ? { env: options.variables } : {}),
      })
    : undefined;
  const problems: string[] = [];
  const sides = names.map((name, index): Side => {
    const flag = index === 0 ? "--from" : "--to";
    if (isUrl(name)) return { label: flag, url: name, environment: null, options: {} };
    const spec = config?.environments[name]?.database;
    if (!spec) {
      const known = Object.keys(config?.environments ?? {}).join(", ") || "none";
      problems.push(
        `${flag} ${name}: no environment of that name with a database in ${config?.file} (environments: ${known})`,
      );
      return { label: name, url: "", environment: name, options: {} };
    }
    const filter: IntrospectOptions = {
      ...(spec.schemas ? { schemas: spec.schemas } : {}),
      ...(spec.excludeSchemas ? { excludeSchemas: spec.excludeSchemas } : {}),
      ...(spec.includeObjects ? { includeObjects: spec.includeObjects } : {}),
      ...(spec.excludeObjects ? { excludeObjects: spec.excludeObjects } : {}),
    };
    return { label: name, url: spec.url, environment: name, options: filter };
  });
  if (problems.length > 0)
    throw new ParityInputError("cannot resolve the databases to plan between", problems);
  if (options.from === options.to)
    throw new ParityInputError(`--from and --to are the same (${options.from})`);
  return sides as [Side, Side];
}

/** host:port/database: never the user or password of the URL. */
function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ""}${parsed.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

function identity(side: Side, snapshot: DatabaseSnapshot): PlanIdentity {
  return {
    environment: side.environment,
    database: describeDatabase(side.url),
    serverVersionNum: snapshot.engine.versionNum,
    major: snapshot.engine.major,
  };
}

async function read(side: Side, options: IntrospectOptions): Promise<DatabaseSnapshot> {
  try {
    return await introspectDatabase(side.url, { ...options, environment: side.label });
  } catch (error) {
    if (error instanceof ParityInputError || error instanceof EnvironmentReadError) throw error;
    throw new EnvironmentReadError(
      side.label,
      `database ${describeDatabase(side.url)}`,
      (error as Error).message,
      {
        cause: error,
      },
    );
  }
}

export async function planCommand(options: PlanCommandOptions): Promise<PlanCommandResult> {
  const cwd = options.cwd ?? process.cwd();
  const reporter = options.reporter ?? "text";
  if (!(PLAN_REPORTERS as readonly string[]).includes(reporter)) {
    throw new ParityInputError(`--reporter ${reporter}: expected one of ${PLAN_REPORTERS.join(", ")}`);
  }
  const [from, to] = await resolveSides(options, cwd);
  // One filter for both sides, so the plan never drops what one side merely does not read.
  const filter = from.environment ? from.options : to.options;
  const [fromSnapshot, toSnapshot] = await Promise.all([read(from, filter), read(to, filter)]);
  const { statements, refusals } = planMigration(fromSnapshot, toSnapshot);
  const plan: PlanFile = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    from: identity(from, fromSnapshot),
    to: identity(to, toSnapshot),
    statements,
    refusals,
  };
  const json = reporter === "json" || (options.out?.endsWith(".json") ?? false);
  const content = json ? renderPlanJson(plan) : renderPlanSql(plan);
  const exitCode = refusals.length > 0 ? 2 : statements.length > 0 ? 1 : 0;
  return { plan, content, exitCode, ...(options.out ? { out: resolve(cwd, options.out) } : {}) };
}

/** The plan file, atomically (temp file + rename): never half written. */
export async function writePlanFile(file: string, content: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, content, { flag: "wx" });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new ParityInputError(`--out: cannot write ${file}: ${(error as Error).message}`);
  }
}
