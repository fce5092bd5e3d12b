// The preview reaper: find the project's preview stacks, destroy the expired ones.
export {
  decidePreview,
  isProtectedStackName,
  looksLikePreview,
  type PreviewDecision,
  type PreviewOutputs,
  type StackFacts,
  shortStackName,
} from "./decide.ts";
export { formatPreviewList, formatReapResult, relativeTime } from "./format.ts";
export { type ListedStack, listStacks, readPreviewOutputs, type StackListOptions } from "./pulumi-stacks.ts";
export {
  listPreviews,
  type PreviewList,
  type PreviewsOptions,
  type ReapOutcome,
  type ReapResult,
  reapPreviews,
} from "./reap.ts";
