// Throttling and transient failures are retried by the SDK's own StandardRetryStrategy; we only tune
// it: more attempts than the SDK's default 3 (a nightly audit would rather wait than fail on a burst
// of ThrottlingException), and a jittered exponential backoff whose scale is injectable so tests of
// throttling storms finish in milliseconds instead of minutes.
import { StandardRetryStrategy } from "@smithy/core/retry";
import type { RetryStrategyV2, StandardRetryBackoffStrategy } from "@smithy/types";

export interface RetryTuning {
  /** Total attempts per request, the first included. Default 8. */
  maxAttempts?: number;
  /**
   * Multiplies the SDK's delay bases (1 s for throttling, 50 ms for transient errors). Default 1;
   * tests pass a tiny value such as 0.001.
   */
  backoffScale?: number;
  /** Upper bound of one backoff delay in milliseconds. Default 20 000. */
  maxDelayMs?: number;
  /** Source of randomness for the jitter (tests may make it deterministic). Default Math.random. */
  random?: () => number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_MAX_DELAY_MS = 20_000;
/** The SDK's base for transient (non-throttling) retries; passed explicitly so scaling applies to it too. */
const TRANSIENT_DELAY_BASE_MS = 50;

/**
 * "Full jitter" exponential backoff (delay = random * min(max, base * 2^attempt)): spreads retries of
 * concurrent readers so they don't hit the throttled API in lockstep.
 */
export class ScaledJitterBackoff implements StandardRetryBackoffStrategy {
  private delayBase = TRANSIENT_DELAY_BASE_MS;

  constructor(
    private readonly scale: number,
    private readonly maxDelayMs: number,
    private readonly random: () => number,
  ) {}

  setDelayBase(delayBase: number): void {
    this.delayBase = delayBase;
  }

  computeNextBackoffDelay(retryAttempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.delayBase * this.scale * 2 ** retryAttempt);
    return Math.floor(this.random() * ceiling);
  }
}

export function makeRetryStrategy(tuning: RetryTuning = {}): RetryStrategyV2 {
  const maxAttempts = tuning.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`retry maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  const backoff = new ScaledJitterBackoff(
    tuning.backoffScale ?? 1,
    tuning.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
    tuning.random ?? Math.random,
  );
  return new StandardRetryStrategy({ maxAttempts, baseDelay: TRANSIENT_DELAY_BASE_MS, backoff });
}
