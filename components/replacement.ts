// Resource options that keep a cloned database from being replaced behind the user's back.
// Pure, so tests can check them directly as well as in what the engine receives.
import type { DatabaseKind } from "./app.ts";

/**
 * Properties the engine must ignore after the first create of a cloned database:
 * - `snapshotIdentifier`: the "most recent snapshot" lookup answers differently every night; without
 *   this, the next `up` would replace staging with a restore of the newer snapshot.
 * - `restoreToPointInTime`: the clone block (and its useLatestRestorableTime) only makes sense at create.
 * Refreshing is explicit instead: a new clone generation gives the database a new resource name
 * (a fresh URN has no old state, so the ignored values do not carry over) and a new identifier.
 */
export function restoreIgnoreChanges(kind: DatabaseKind): string[] {
  return kind === "cluster"
    ? ["restoreToPointInTime", "snapshotIdentifier"]
    : ["snapshotIdentifier", "restoreToPointInTime"];
}

/** Logical name of a database component: the clone generation is part of it, so bumping it creates a new one. */
export function databaseResourceName(environmentName: string, generation?: string | number): string {
  return generation === undefined ? `${environmentName}-db` : `${environmentName}-db-g${generation}`;
}
