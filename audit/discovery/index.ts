export {
  type DiscoveredSources,
  type DiscoveryOptions,
  discoverFromPulumi,
  type StackOutputs,
  sourcesFrom,
} from "./pulumi-outputs.ts";
