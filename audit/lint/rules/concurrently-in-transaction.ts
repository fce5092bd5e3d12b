// lint/concurrently-in-transaction: CONCURRENTLY cannot run inside a transaction block; the server
// refuses it ("cannot run inside a transaction block") and the whole migration rolls back.
import type { Node } from "libpg-query";
import { dottedName } from "../relation.ts";
import type { LintRule } from "../rule.ts";

const ID = "lint/concurrently-in-transaction";

function concurrentStatement(node: Node): { what: string; object: string; objectType: string } | undefined {
  if ("IndexStmt" in node && node.IndexStmt.concurrent) {
    return {
      what: "CREATE INDEX CONCURRENTLY",
      object: node.IndexStmt.idxname ?? "(unnamed)",
      objectType: "index",
    };
  }
  if ("DropStmt" in node && node.DropStmt.concurrent) {
    const object = dottedName(node.DropStmt.objects?.[0]) ?? "(unnamed)";
    return { what: "DROP INDEX CONCURRENTLY", object, objectType: "index" };
  }
  if ("ReindexStmt" in node) {
    const concurrent = (node.ReindexStmt.params ?? []).some(
      (param) => "DefElem" in param && param.DefElem.defname === "concurrently",
    );
    if (concurrent) {
      return {
        what: "REINDEX CONCURRENTLY",
        object: node.ReindexStmt.name ?? node.ReindexStmt.relation?.relname ?? "",
        objectType: "index",
      };
    }
  }
  if ("AlterTableStmt" in node) {
    const detach = (node.AlterTableStmt.cmds ?? []).some(
      (cmd) =>
        "AlterTableCmd" in cmd &&
        cmd.AlterTableCmd.subtype === "AT_DetachPartition" &&
        (cmd.AlterTableCmd.def as { PartitionCmd?: { concurrent?: boolean } } | undefined)?.PartitionCmd
          ?.concurrent,
    );
    if (detach) {
      return {
        what: "DETACH PARTITION CONCURRENTLY",
        object: node.AlterTableStmt.relation?.relname ?? "",
        objectType: "table",
      };
    }
  }
  return undefined;
}

export const concurrentlyInTransaction: LintRule = {
  meta: {
    id: ID,
    description:
      "A CONCURRENTLY statement inside BEGIN … COMMIT: PostgreSQL refuses it and the migration fails.",
    defaultSeverity: "error",
    messages: {
      inTransaction:
        '{{what}} inside a transaction block fails on every server ("cannot run inside a transaction block"), rolling back the whole transaction; run it on its own, after COMMIT (and check that the migration tool does not wrap the file in a transaction)',
    },
  },
  check(context) {
    if (!context.session.inTransaction) return [];
    const found = concurrentStatement(context.statement.node);
    if (!found) return [];
    return [
      context.report({
        messageId: "inTransaction",
        data: { what: found.what },
        severity: "error",
        objectType: found.objectType,
        object: found.object,
        rewrite: `COMMIT; ${context.statement.sql}; -- outside any transaction block`,
      }),
    ];
  },
};
