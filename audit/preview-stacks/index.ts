// The preview reaper: find the project's preview stacks, destroy the expired ones.

export {
  listPreviews,
  type PreviewList,
  type PreviewsOptions,
  type ReapOutcome,
  type ReapResult,
  reapPreviews,
} from "../cli/previews/command.ts";
export { formatPreviewList, formatReapResult, relativeTime } from "../cli/previews/format.ts";
export {
  decidePreview,
  isProtectedStackName,
  looksLikePreview,
  type PreviewDecision,
  type PreviewOutputs,
  type StackFacts,
  shortStackName,
} from "./decide.ts";
export { type ListedStack, listStacks, readPreviewOutputs, type StackListOptions } from "./pulumi-stacks.ts";
