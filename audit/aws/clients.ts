// One place that builds the real AWS SDK v3 clients the audit reads with. Credentials and region come
// from the SDK's standard provider chain (environment, shared config/credentials files, SSO, IMDS…);
// we never hand-roll them. Endpoints: the SDK itself honours AWS_ENDPOINT_URL and the per-service
// AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_RDS (and `endpoint_url` in the shared config), so we only
// pass `endpoint` when the audit config names one explicitly, which then wins over the environment.
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { AwsCredentialIdentity } from "@smithy/types";
import { makeRetryStrategy, type RetryTuning } from "./retry.ts";

export interface AwsClientOptions {
  /** Region; default: the SDK's chain (AWS_REGION, AWS_DEFAULT_REGION via profile, shared config). */
  region?: string;
  /** Explicit endpoint URL (the audit config's `endpoint`); wins over AWS_ENDPOINT_URL*. */
  endpoint?: string;
  retry?: RetryTuning;
  /** Abandon (and retry) a request whose response has not arrived after this long. Default 30 000. */
  requestTimeoutMs?: number;
  /** Only for tests and embedding; default: the standard credential provider chain. */
  credentials?: AwsCredentialIdentity;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

function commonConfig(options: AwsClientOptions) {
  return {
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    retryStrategy: makeRetryStrategy(options.retry),
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      // Without this the SDK only logs a warning and keeps waiting on a hung response; with it the
      // timeout is a TimeoutError, which the retry strategy retries as a transient error.
      throwOnRequestTimeout: true,
      connectionTimeout: 5_000,
    },
  };
}

export function createSsmClient(options: AwsClientOptions = {}): SSMClient {
  return new SSMClient(commonConfig(options));
}

export function createRdsClient(options: AwsClientOptions = {}): RDSClient {
  return new RDSClient(commonConfig(options));
}

/**
 * S3 for the promotion record log. `forcePathStyle` (http://host/bucket/key) is what S3-compatible
 * and loopback endpoints need; it defaults to on whenever an endpoint is given or set in the
 * environment (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL), and off for AWS itself.
 */
export function createS3Client(options: AwsClientOptions & { forcePathStyle?: boolean } = {}): S3Client {
  const env = process.env;
  const customEndpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  return new S3Client({
    ...commonConfig(options),
    forcePathStyle: options.forcePathStyle ?? customEndpoint !== undefined,
  });
}
