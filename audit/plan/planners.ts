// Every object kind's planner, by model object type: one file per kind.
import type { Planners } from "./context.ts";
import { collationPlanner } from "./kinds/collation.ts";
import { columnPlanner } from "./kinds/column.ts";
import { constraintPlanner } from "./kinds/constraint.ts";
import { domainPlanner } from "./kinds/domain.ts";
import { enumPlanner } from "./kinds/enum.ts";
import { extensionPlanner } from "./kinds/extension.ts";
import { indexPlanner } from "./kinds/index.ts";
import { notPlanned } from "./kinds/not-planned.ts";
import { policyPlanner } from "./kinds/policy.ts";
import { privilegePlanner } from "./kinds/privilege.ts";
import { routinePlanner } from "./kinds/routine.ts";
import { schemaPlanner } from "./kinds/schema.ts";
import { sequencePlanner } from "./kinds/sequence.ts";
import { tablePlanner } from "./kinds/table.ts";
import { triggerPlanner } from "./kinds/trigger.ts";
import { typePlanner } from "./kinds/type.ts";
import { viewPlanner } from "./kinds/view.ts";

export const planners: Planners = {
  schema: schemaPlanner,
  extension: extensionPlanner,
  collation: collationPlanner,
  enum: enumPlanner,
  domain: domainPlanner,
  type: typePlanner,
  sequence: sequencePlanner,
  function: routinePlanner,
  procedure: routinePlanner,
  table: tablePlanner,
  column: columnPlanner,
  constraint: constraintPlanner,
  index: indexPlanner,
  view: viewPlanner,
  "materialized-view": viewPlanner,
  trigger: triggerPlanner,
  policy: policyPlanner,
  privilege: privilegePlanner,
  statistics: notPlanned("extended statistics (CREATE STATISTICS)"),
  "default-privilege": notPlanned("default privileges (ALTER DEFAULT PRIVILEGES)"),
  publication: notPlanned("publications"),
  subscription: notPlanned("subscriptions"),
  "event-trigger": notPlanned("event triggers"),
  "foreign-server": notPlanned("foreign servers"),
  "user-mapping": notPlanned("user mappings"),
  rule: notPlanned("rules (CREATE RULE)"),
  aggregate: notPlanned("aggregates"),
  cast: notPlanned("casts"),
  operator: notPlanned("operators"),
  "operator-class": notPlanned("operator classes"),
  "operator-family": notPlanned("operator families"),
  "text-search-configuration": notPlanned("text-search configurations"),
  "text-search-dictionary": notPlanned("text-search dictionaries"),
};
