// The static registry: which checks run for each kind of source an environment declares.
// The runner takes a registry as a parameter (tests inject their own); the CLI uses this one.

import type { CheckRegistry } from "../runner/result.ts";
import { configKeysCheck } from "./config-keys/index.ts";
import { dataCheck } from "./data/index.ts";
import { databaseCheck } from "./database/index.ts";
import { rdsCheck } from "./rds/index.ts";

export const defaultRegistry: CheckRegistry = {
  database: [databaseCheck, dataCheck],
  config: [configKeysCheck],
  rds: [rdsCheck],
};
