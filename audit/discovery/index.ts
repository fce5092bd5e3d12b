export {
  type DiscoveredSources,
  type DiscoveryOptions,
  discoverFromPulumi,
  type StackOutputs,
  sourcesFrom,
  substituteStackOutputs,
  usesStackOutputs,
} from "./pulumi-outputs.ts";
