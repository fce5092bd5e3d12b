// PostgreSQL's table lock modes and, in words, what each blocks while it is held (the conflict table
// of the "Explicit Locking" chapter, 13.3.1, read for the statements applications run).
import type { LockMode } from "../plan/plan-file.ts";

export type { LockMode };

const BLOCKS: Record<LockMode, string> = {
  "ACCESS SHARE": "only ACCESS EXCLUSIVE: DROP, most ALTER TABLE",
  "ROW SHARE": "EXCLUSIVE and ACCESS EXCLUSIVE",
  "ROW EXCLUSIVE": "SHARE and stronger, e.g. CREATE INDEX without CONCURRENTLY",
  "SHARE UPDATE EXCLUSIVE": "VACUUM, ANALYZE and other schema changes; reads and writes go on",
  SHARE: "every INSERT, UPDATE and DELETE; reads go on",
  "SHARE ROW EXCLUSIVE": "every INSERT, UPDATE and DELETE and other schema changes; reads go on",
  EXCLUSIVE: "every write and SELECT … FOR UPDATE; plain reads go on",
  "ACCESS EXCLUSIVE": "every query, reads included",
};

/** `a SHARE lock (blocks every INSERT, UPDATE and DELETE; reads go on)`. */
export function describeLock(mode: LockMode): string {
  const article = mode.startsWith("ACCESS") || mode.startsWith("EXCLUSIVE") ? "an" : "a";
  return `${article} ${mode} lock (blocks ${BLOCKS[mode]})`;
}

/** Locks that stop the application's own writes: the ones a lock queue turns into an outage. */
export function blocksWrites(mode: LockMode): boolean {
  return (
    mode === "SHARE" || mode === "SHARE ROW EXCLUSIVE" || mode === "EXCLUSIVE" || mode === "ACCESS EXCLUSIVE"
  );
}
