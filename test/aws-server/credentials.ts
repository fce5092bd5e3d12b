// Dummy credentials and region through the SDK's standard chain (environment variables), and IMDS
// disabled, so a test that forgot an endpoint fails fast instead of reaching for real AWS.
export function useDummyAwsEnvironment(): void {
  process.env.AWS_ACCESS_KEY_ID = "AKIDPARITYTEST";
  process.env.AWS_SECRET_ACCESS_KEY = "parity-test-secret-key";
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_ENDPOINT_URL_SSM;
  delete process.env.AWS_ENDPOINT_URL_RDS;
}

/** Backoff scaled down 1000× (1 s throttling base → 1 ms) so storms take milliseconds. */
export const FAST_RETRY = { backoffScale: 0.001 } as const;

/**
 * A fault predicate that fires `burst` times, then lets `pause` requests through, and repeats — counted
 * separately per `key` (e.g. per SSM path), so concurrent readers cannot be starved by each other's
 * timing: each reader sees at most `burst` failures in a row, whatever the interleaving.
 */
export function bursts(
  burst: number,
  pause: number,
  key: (params: Record<string, unknown>) => string = () => "",
): (params: Record<string, unknown>) => boolean {
  const counters = new Map<string, number>();
  return (params) => {
    const k = key(params);
    const n = counters.get(k) ?? 0;
    counters.set(k, n + 1);
    return n % (burst + pause) < burst;
  };
}
