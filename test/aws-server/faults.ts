// Fault injection for the loopback AWS server: each rule matches requests (service, action, and an
// optional predicate over the parsed parameters) and fires a fixed number of times or forever.
export type Service = "ssm" | "rds" | "s3";

export type FaultKind =
  /** SSM: 400 ThrottlingException; RDS: 400 Throttling; S3: 503 SlowDown. */
  | { kind: "throttle" }
  /** 500 InternalServerError (SSM) / InternalFailure (RDS) / InternalError (S3). */
  | { kind: "server-error" }
  /** Respond normally, but only after this many milliseconds. */
  | { kind: "slow"; delayMs: number }
  /** 400 AccessDeniedException (SSM) / AccessDenied (RDS): not retryable. */
  | { kind: "access-denied" }
  /** S3 only: 409 ConditionalRequestConflict, a conditional write racing another (retry it). */
  | { kind: "conditional-conflict" };

export type FaultRule = FaultKind & {
  service?: Service;
  action?: string;
  /** Fires only for requests whose parsed parameters satisfy this (e.g. one SSM path). */
  when?: (params: Record<string, unknown>) => boolean;
  /** How many matching requests it affects; default forever. */
  times?: number;
};

export class FaultPlan {
  private readonly rules: Array<FaultRule & { remaining: number }> = [];

  add(...rules: FaultRule[]): void {
    for (const rule of rules) this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The first live rule matching this request, consuming one of its uses. */
  take(service: Service, action: string, params: Record<string, unknown>): FaultKind | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.service !== undefined && rule.service !== service) continue;
      if (rule.action !== undefined && rule.action !== action) continue;
      if (rule.when !== undefined && !rule.when(params)) continue;
      rule.remaining -= 1;
      return rule;
    }
    return undefined;
  }
}
