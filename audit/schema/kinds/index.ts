// Every object kind the schema read knows, in the order the model is built (a kind may look at
// the objects of the kinds before it: view dependencies come last). A new kind is one file in
// this folder and one line here; the catalog query count grows by one, whatever the size.
import { aggregates } from "./aggregates.ts";
import { casts } from "./casts.ts";
import { collations } from "./collations.ts";
import { columns } from "./columns.ts";
import { constraints } from "./constraints.ts";
import { defaultPrivileges } from "./default-privileges.ts";
import { eventTriggers } from "./event-triggers.ts";
import { extensions } from "./extensions.ts";
import { foreignServers } from "./foreign-servers.ts";
import { functions } from "./functions.ts";
import { indexes } from "./indexes.ts";
import type { GlobalKind, RelationKind, RowOf } from "./kind.ts";
import { operatorClasses } from "./operator-classes.ts";
import { operators } from "./operators.ts";
import { policies } from "./policies.ts";
import { privileges } from "./privileges.ts";
import { publications } from "./publications.ts";
import { relations } from "./relations.ts";
import { rules } from "./rules.ts";
import { schemas } from "./schemas.ts";
import { sequences } from "./sequences.ts";
import { statistics } from "./statistics.ts";
import { subscriptions } from "./subscriptions.ts";
import { textSearch } from "./text-search.ts";
import { triggers } from "./triggers.ts";
import { types } from "./types.ts";
import { viewDependencies } from "./view-dependencies.ts";

export const KINDS = [
  schemas,
  relations,
  columns,
  indexes,
  constraints,
  sequences,
  functions,
  triggers,
  types,
  extensions,
  collations,
  policies,
  privileges,
  statistics,
  defaultPrivileges,
  publications,
  subscriptions,
  eventTriggers,
  foreignServers,
  rules,
  aggregates,
  casts,
  operators,
  operatorClasses,
  textSearch,
  viewDependencies,
] as const;

type Kind = (typeof KINDS)[number];

/** The rows of every kind's query, as pg hands them over, keyed by kind. */
export type CatalogRows = { [K in Kind as K["name"]]: RowOf<K>[] };

type GlobalName = Extract<Kind, { scope: "global" }>["name"];
/** The rows of the kinds that do not live on a relation (read before any plan is known). */
export type GlobalRows = Pick<CatalogRows, GlobalName>;

export const GLOBAL_KINDS: readonly GlobalKind[] = KINDS.filter(
  (kind): kind is Extract<Kind, { scope: "global" }> => kind.scope === "global",
);
export const RELATION_KINDS: readonly RelationKind[] = KINDS.filter(
  (kind): kind is Extract<Kind, { scope: "relation" }> => kind.scope === "relation",
);
