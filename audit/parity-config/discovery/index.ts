export {
  type PulumiCliOptions,
  PulumiCommandError,
  PulumiNotFoundError,
  runPulumi,
} from "../../core/pulumi-cli.ts";
export {
  type DiscoveredSources,
  type DiscoveryOptions,
  discoverFromPulumi,
  type StackOutputs,
  sourcesFrom,
  substituteStackOutputs,
  usesStackOutputs,
} from "./pulumi-outputs.ts";
