// The hashes a promotion is pinned by: the plan's (what the preview printed and apply must match)
// and the target schema's (what undo checks the target still is). Both over canonical JSON, so the
// same content always gives the same hash, whatever the key order.
import type { PlanFile } from "../plan/plan-file.ts";
import type { DatabaseSnapshot } from "../schema/model.ts";
import { canonicalJson, sha256Hex } from "./record/canonical-json.ts";

export function planSha256(plan: PlanFile): string {
  return sha256Hex(canonicalJson(plan));
}

/** The model's objects only: engine facts and settings are the server's, not the schema's. */
export function schemaSha256(snapshot: DatabaseSnapshot): string {
  // JSON round trip first: the model may hold undefined optional fields, which JSON drops.
  return sha256Hex(canonicalJson(JSON.parse(JSON.stringify(snapshot.objects))));
}
