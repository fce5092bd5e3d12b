// Every lint rule, in one static list sorted by id.
import type { LintRule } from "../rule.ts";
import { addColumnVolatileDefault } from "./add-column-volatile-default.ts";
import { concurrentlyInTransaction } from "./concurrently-in-transaction.ts";
import { constraintNotValid } from "./constraint-not-valid.ts";
import { createIndexNotConcurrently } from "./create-index-not-concurrently.ts";
import { drop } from "./drop.ts";
import { missingLockTimeout } from "./missing-lock-timeout.ts";
import { missingStatementTimeout } from "./missing-statement-timeout.ts";
import { setNotNullWithoutCheck } from "./set-not-null-without-check.ts";
import { typeChangeRewrite } from "./type-change-rewrite.ts";

export const lintRules: readonly LintRule[] = Object.freeze(
  [
    addColumnVolatileDefault,
    concurrentlyInTransaction,
    constraintNotValid,
    createIndexNotConcurrently,
    drop,
    missingLockTimeout,
    missingStatementTimeout,
    setNotNullWithoutCheck,
    typeChangeRewrite,
  ].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0)),
);
