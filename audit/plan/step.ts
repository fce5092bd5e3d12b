// One statement of a plan while it is being built: the statement as the plan file carries it,
// plus where it goes (a phase, then dependency order inside the phase).
import type { ObjectType, SchemaObject } from "../schema/model.ts";
import type { Hazard, PlanStatement } from "./plan-file.ts";

/**
 * Drops run first, dependents before what they are built on; then creates and alters, the
 * other way round. Phases are coarse kinds of statement; inside a phase `after` orders them.
 */
export const PHASE = {
  dropPolicy: 10,
  dropTrigger: 11,
  dropView: 12,
  dropForeignKey: 13,
  dropConstraint: 14,
  dropIndex: 15,
  dropDefault: 16,
  dropColumn: 17,
  dropTable: 18,
  dropSequence: 19,
  dropRoutine: 20,
  dropType: 21,
  dropCollation: 22,
  dropExtension: 23,
  dropSchema: 24,
  settings: 30,
  createSchema: 31,
  createExtension: 32,
  createCollation: 33,
  enum: 34,
  createType: 35,
  createSequence: 36,
  createRoutine: 37,
  createTable: 38,
  alterTable: 39,
  alterColumn: 40,
  retypeColumn: 41,
  dropOldType: 42,
  // What is dropped for good goes after the columns that used it changed (a default that named a
  // sequence, a column that had the type or collation); what is recreated is dropped early.
  dropLateRoutine: 42.1,
  dropLateSequence: 42.2,
  dropLateType: 42.3,
  dropLateCollation: 42.4,
  dropLateExtension: 42.5,
  dropLateSchema: 42.6,
  ownSequence: 43,
  createConstraint: 44,
  createIndex: 45,
  createForeignKey: 46,
  createView: 47,
  createViewIndex: 47.5,
  createTrigger: 48,
  createPolicy: 49,
  grant: 50,
  comment: 51,
} as const;

/** The phase of a drop: early when the object is created again by the plan, late otherwise. */
export function dropPhase(early: number, late: number, key: string, creating: ReadonlySet<string>): number {
  return creating.has(key) ? early : late;
}

export interface Step extends PlanStatement {
  phase: number;
  /** Model key of the object the statement is about, for ordering. */
  key: string;
  /** Keys of objects whose statements in the same phase must come first. */
  after: string[];
}

export interface StepInput {
  phase: number;
  sql: string;
  summary: string;
  action: PlanStatement["action"];
  object: SchemaObject;
  /** Other objects the statement changes as well. */
  alsoChanges?: { objectType: ObjectType | string; name: string }[];
  hazards?: Hazard[];
  transactional?: boolean;
  after?: string[];
}

export function makeStep(input: StepInput): Step {
  return {
    phase: input.phase,
    key: input.object.key,
    after: input.after ?? [],
    sql: input.sql,
    summary: input.summary,
    action: input.action,
    objects: [
      { objectType: input.object.objectType, name: input.object.name },
      ...(input.alsoChanges ?? []).map((object) => ({ objectType: object.objectType, name: object.name })),
    ],
    hazards: input.hazards ?? [],
    transactional: input.transactional ?? true,
  };
}

/** The lock a DDL statement takes on a relation, as a hazard. */
export function lockOn(mode: NonNullable<Hazard["lock"]>["mode"], on: string, blocks: string): Hazard {
  return { kind: "lock", detail: `${mode} lock on ${on}: ${blocks}`, lock: { mode, on } };
}

export const BLOCKS_ALL = "blocks reads and writes until the transaction ends";
export const BLOCKS_WRITES = "blocks writes (INSERT, UPDATE, DELETE) until the transaction ends";
