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
export { type ListedStack, listStacks, readPreviewOutputs, type StackListOptions } from "./pulumi-stacks.ts";
export { PULUMI_STACK_NAME_MAX, previewStackName } from "./stack-name.ts";
