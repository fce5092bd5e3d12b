export {
  type AwsClientOptions,
  createRdsClient,
  createS3Client,
  createSsmClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from "./clients.ts";
export { describeAwsError, isAwsNotFound } from "./errors.ts";
export { DEFAULT_MAX_ATTEMPTS, makeRetryStrategy, type RetryTuning, ScaledJitterBackoff } from "./retry.ts";
