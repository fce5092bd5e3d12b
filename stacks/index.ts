// Entry point of the parity Pulumi project (Pulumi.yaml `main`): one program for every stack.
// The exports are the stack outputs the audit's discovery reads; keep their names stable.
import { buildStack } from "./program.ts";

const environment = buildStack();

/** SSM prefix of the tier's config, e.g. `/shop/staging/`. */
export const ssmPath = environment.ssmPath;
/** RDS instance identifier or Aurora cluster identifier. */
export const databaseIdentifier = environment.databaseIdentifier;
/** `instance` or `cluster`. */
export const databaseKind = environment.databaseKind;
/** `host:port`; for clones, only once masking succeeded. */
export const databaseEndpoint = environment.databaseEndpoint;
/** The engine version AWS reports as running. */
export const databaseEngineVersion = environment.databaseEngineVersion;
/** The parameter group every tier shares the values of. */
export const parameterGroupName = environment.parameterGroupName;
export const awsRegion = environment.awsRegion;
/** Previews: when the reaper may destroy the stack (ISO-8601 UTC). */
export const expiresAt = environment.expiresAt;
/** `production`, `staging` or `preview`: the reaper never destroys a stack whose tier is not preview. */
export const tier = environment.tier;
/** Previews: the git branch the preview belongs to (as tagged). Undefined otherwise. */
export const branch = environment.plan.tags["parity:branch"];
