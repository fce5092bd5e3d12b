// CREATE / DROP TRIGGER (pg_get_triggerdef's text is the CREATE statement) and ALTER TABLE …
// ENABLE / DISABLE TRIGGER for its firing mode.
import type { SchemaObject } from "../../schema/model.ts";
import { type KindPlanner, type PlanContext, text } from "../context.ts";
import { parentName, qualified } from "../names.ts";
import { lockOn, makeStep, PHASE } from "../step.ts";
import { emitComment } from "./comment.ts";

const ENABLE: Record<string, string> = {
  origin: "ENABLE",
  disabled: "DISABLE",
  replica: "ENABLE REPLICA",
  always: "ENABLE ALWAYS",
};

function own(trigger: SchemaObject): string {
  return `"${trigger.name.slice(parentName(trigger).length + 1).replaceAll('"', '""')}"`;
}

function emitEnabled(trigger: SchemaObject, context: PlanContext): void {
  const mode = ENABLE[text(trigger, "enabled") ?? "origin"] ?? "ENABLE";
  context.emit(
    makeStep({
      phase: PHASE.createTrigger,
      sql: `ALTER TABLE ${qualified(parentName(trigger))} ${mode} TRIGGER ${own(trigger)}`,
      summary: `trigger ${trigger.name} fires: ${text(trigger, "enabled")}`,
      action: "alter",
      object: trigger,
      hazards: [
        lockOn("SHARE ROW EXCLUSIVE", parentName(trigger), "blocks writes until the transaction ends"),
      ],
    }),
  );
}

export const triggerPlanner: KindPlanner = {
  create(trigger, context) {
    const table = parentName(trigger);
    context.emit(
      makeStep({
        phase: PHASE.createTrigger,
        sql: text(trigger, "definition") ?? "",
        summary: `create trigger ${trigger.name}`,
        action: "create",
        object: trigger,
        hazards: [lockOn("SHARE ROW EXCLUSIVE", table, "blocks writes until the transaction ends")],
      }),
    );
    if (text(trigger, "enabled") !== "origin") emitEnabled(trigger, context);
    emitComment(trigger, `TRIGGER ${own(trigger)} ON ${qualified(table)}`, context, true);
  },
  drop(trigger, context) {
    const table = parentName(trigger);
    context.emit(
      makeStep({
        phase: PHASE.dropTrigger,
        sql: `DROP TRIGGER IF EXISTS ${own(trigger)} ON ${qualified(table)}`,
        summary: `drop trigger ${trigger.name}`,
        action: "drop",
        object: trigger,
        hazards: [lockOn("ACCESS EXCLUSIVE", table, "blocks reads and writes until the transaction ends")],
      }),
    );
  },
  recreates(_before, _after, changed) {
    return changed.includes("definition");
  },
  alter(_before, after, changed, context) {
    if (changed.includes("enabled")) emitEnabled(after, context);
    if (changed.includes("comment"))
      emitComment(after, `TRIGGER ${own(after)} ON ${qualified(parentName(after))}`, context, false);
  },
};
