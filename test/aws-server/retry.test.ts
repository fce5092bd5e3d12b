import { describe, expect, it } from "vitest";
import { makeRetryStrategy, ScaledJitterBackoff } from "../../audit/aws/index.ts";

describe("ScaledJitterBackoff", () => {
  it.each([
    // [scale, max, base, attempt, random, expected]
    [1, 20_000, 1_000, 0, 1, 1_000],
    [1, 20_000, 1_000, 3, 1, 8_000],
    [1, 20_000, 1_000, 10, 1, 20_000],
    [1, 20_000, 1_000, 3, 0.5, 4_000],
    [0.001, 20_000, 1_000, 3, 1, 8],
    [1, 20_000, 50, 2, 1, 200],
  ])(
    "scale %d, max %d, base %d, attempt %d, random %d → %d ms",
    (scale, max, base, attempt, random, expected) => {
      const backoff = new ScaledJitterBackoff(scale, max, () => random);
      backoff.setDelayBase(base);
      expect(backoff.computeNextBackoffDelay(attempt)).toBe(expected);
    },
  );
});

describe("makeRetryStrategy", () => {
  it.each([0, -1, 1.5])("rejects maxAttempts %d", (maxAttempts) => {
    expect(() => makeRetryStrategy({ maxAttempts })).toThrow(/positive integer/);
  });

  it("gives throttling errors the tuned attempts and no more", async () => {
    const strategy = makeRetryStrategy({ maxAttempts: 3, backoffScale: 0 });
    let token = await strategy.acquireInitialRetryToken("ssm");
    token = await strategy.refreshRetryTokenForRetry(token, { errorType: "THROTTLING" });
    token = await strategy.refreshRetryTokenForRetry(token, { errorType: "THROTTLING" });
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: "THROTTLING" })).rejects.toThrow();
  });

  it("does not retry client errors", async () => {
    const strategy = makeRetryStrategy({ backoffScale: 0 });
    const token = await strategy.acquireInitialRetryToken("ssm");
    await expect(strategy.refreshRetryTokenForRetry(token, { errorType: "CLIENT_ERROR" })).rejects.toThrow();
  });
});
