// What the migration has done before a statement runs, as the server's session would see it: an open
// transaction block, the timeouts set, the tables it created (empty, so nothing to wait for).
import type { AlterTableStmt, Constraint, Node } from "libpg-query";
import { notNullColumns } from "./expression.ts";
import { blocksWrites } from "./locks.ts";
import { locksTaken } from "./locks-taken.ts";
import { relationKey } from "./relation.ts";

export type TimeoutScope = false | "session" | "transaction";

export interface SessionState {
  /** Inside BEGIN … COMMIT. */
  inTransaction: boolean;
  /** `SET lock_timeout` to a non-zero value earlier: for the session, or (SET LOCAL) until COMMIT. */
  lockTimeout: TimeoutScope;
  statementTimeout: TimeoutScope;
  /** Tables this migration created (as written): empty, so their locks and builds cost nothing. */
  createdTables: ReadonlySet<string>;
  /** An earlier statement already took a write-blocking lock on an existing table. */
  blockingLockTaken: boolean;
  /** CHECK (c IS NOT NULL) constraints this migration added, by table as written. */
  notNullChecks: ReadonlyMap<string, readonly NotNullCheck[]>;
}

export interface NotNullCheck {
  name: string;
  columns: readonly string[];
  validated: boolean;
}

export const INITIAL_SESSION: SessionState = {
  inTransaction: false,
  lockTimeout: false,
  statementTimeout: false,
  createdTables: new Set(),
  blockingLockTaken: false,
  notNullChecks: new Map(),
};

/** The session after `node` ran. */
export function advanceSession(state: SessionState, node: Node): SessionState {
  if ("TransactionStmt" in node) {
    const kind = node.TransactionStmt.kind;
    if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") return { ...state, inTransaction: true };
    if (kind === "TRANS_STMT_COMMIT" || kind === "TRANS_STMT_ROLLBACK") {
      const ended = (scope: TimeoutScope) => (scope === "transaction" ? false : scope);
      return {
        ...state,
        inTransaction: false,
        lockTimeout: ended(state.lockTimeout),
        statementTimeout: ended(state.statementTimeout),
      };
    }
    return state;
  }
  if ("VariableSetStmt" in node) {
    const { name, kind, is_local } = node.VariableSetStmt;
    // SET LOCAL outside a transaction block does nothing (the server warns and forgets it).
    const scope: TimeoutScope = is_local ? (state.inTransaction ? "transaction" : false) : "session";
    const set = kind === "VAR_SET_VALUE" && !isZero(node.VariableSetStmt.args) ? scope : false;
    if (name === "lock_timeout") return { ...state, lockTimeout: set };
    if (name === "statement_timeout") return { ...state, statementTimeout: set };
    return state;
  }
  if ("CreateStmt" in node) {
    const created = relationKey(node.CreateStmt.relation);
    return created ? { ...state, createdTables: new Set([...state.createdTables, created]) } : state;
  }
  const blocking = locksTaken(node).some(
    (lock) => blocksWrites(lock.mode) && !state.createdTables.has(lock.relation),
  );
  const next = blocking ? { ...state, blockingLockTaken: true } : state;
  return "AlterTableStmt" in node ? trackNotNullChecks(next, node.AlterTableStmt) : next;
}

/** ADD CONSTRAINT … CHECK (c IS NOT NULL) [NOT VALID] and VALIDATE CONSTRAINT, for SET NOT NULL. */
function trackNotNullChecks(state: SessionState, statement: AlterTableStmt): SessionState {
  const table = relationKey(statement.relation);
  if (!table) return state;
  let checks = [...(state.notNullChecks.get(table) ?? [])];
  for (const item of statement.cmds ?? []) {
    if (!("AlterTableCmd" in item)) continue;
    const command = item.AlterTableCmd;
    const constraint = (command.def as { Constraint?: Constraint } | undefined)?.Constraint;
    if (command.subtype === "AT_AddConstraint" && constraint?.contype === "CONSTR_CHECK") {
      const columns = notNullColumns(constraint.raw_expr);
      if (columns.length > 0) {
        checks.push({ name: constraint.conname ?? "", columns, validated: !constraint.skip_validation });
      }
    }
    if (command.subtype === "AT_ValidateConstraint") {
      checks = checks.map((check) => (check.name === command.name ? { ...check, validated: true } : check));
    }
  }
  return { ...state, notNullChecks: new Map([...state.notNullChecks, [table, checks]]) };
}

/** `SET lock_timeout = 0` (or '0', '0s') turns the timeout off. */
function isZero(args: Node[] | undefined): boolean {
  const value = args?.[0];
  if (!value || !("A_Const" in value)) return false;
  const constant = value.A_Const;
  if (constant.ival !== undefined) return (constant.ival.ival ?? 0) === 0;
  if (constant.sval !== undefined) return Number.parseFloat(constant.sval.sval ?? "") === 0;
  return false;
}
