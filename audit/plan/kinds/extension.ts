// CREATE / ALTER / DROP EXTENSION: the extension stands for its members (they are not in the model).
// Versions follow the server's contrib packages (15 ships hstore 1.8, 13 ships 1.7): across majors
// the plan leaves them to the target server (the audit reports them as engine/extension-version),
// and pins or updates them only between servers of one major.
import { quoteIdent } from "../../core/sql.ts";
import { type KindPlanner, text } from "../context.ts";
import { literal } from "../names.ts";
import { dropPhase, makeStep, PHASE } from "../step.ts";

export const extensionPlanner: KindPlanner = {
  create(object, context) {
    const version = context.sourceMajor === context.targetMajor ? text(object, "version") : null;
    context.emit(
      makeStep({
        phase: PHASE.createExtension,
        sql: `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(object.name)} WITH SCHEMA ${quoteIdent(text(object, "schema") ?? "public")}${version ? ` VERSION ${literal(version)}` : ""}`,
        summary: `create extension ${object.name}`,
        action: "create",
        object,
      }),
    );
  },
  drop(object, context) {
    context.emit(
      makeStep({
        phase: dropPhase(PHASE.dropExtension, PHASE.dropLateExtension, object.key, context.creating),
        sql: `DROP EXTENSION IF EXISTS ${quoteIdent(object.name)}`,
        summary: `drop extension ${object.name} and everything it created`,
        action: "drop",
        object,
        hazards: [
          { kind: "data-loss", detail: `the objects extension ${object.name} created are dropped with it` },
        ],
      }),
    );
  },
  alter(_before, after, changed, context) {
    const name = quoteIdent(after.name);
    if (changed.includes("schema")) {
      context.emit(
        makeStep({
          phase: PHASE.createExtension,
          sql: `ALTER EXTENSION ${name} SET SCHEMA ${quoteIdent(text(after, "schema") ?? "public")}`,
          summary: `move extension ${after.name} to schema ${text(after, "schema")}`,
          action: "alter",
          object: after,
        }),
      );
    }
    const version = text(after, "version");
    if (changed.includes("version") && version && context.sourceMajor === context.targetMajor) {
      context.emit(
        makeStep({
          phase: PHASE.createExtension,
          sql: `ALTER EXTENSION ${name} UPDATE TO ${literal(version)}`,
          summary: `update extension ${after.name} to version ${version}`,
          action: "alter",
          object: after,
        }),
      );
    }
  },
};
