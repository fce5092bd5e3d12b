// The static registry of config rules, sorted by id.

import { compareText } from "../../../core/compare-text.ts";
import type { ConfigKeysRule } from "../../checks/config-keys/types.ts";
import { extraKey } from "./extra-key.ts";
import { missingKey } from "./missing-key.ts";
import { pointsAtProduction } from "./points-at-production.ts";
import { typeMismatch } from "./type-mismatch.ts";

export const configKeysRules: readonly ConfigKeysRule[] = [
  extraKey,
  missingKey,
  pointsAtProduction,
  typeMismatch,
].sort((a, b) => compareText(a.meta.id, b.meta.id));
