// Deterministic masking of cloned databases: the rules file and the masking run.
export { maskDatabase } from "./mask-database.ts";
export { loadMaskingRules, parseMaskingRules } from "./rules-file.ts";
export type {
  ColumnRule,
  HashingTransformer,
  MaskDatabaseOptions,
  MaskedColumnReport,
  MaskedTableReport,
  MaskingRules,
  MaskReport,
  TableRules,
  TransformName,
} from "./types.ts";
