// parity's Pulumi components: one module for production, staging and per-branch previews.

export * from "../audit/preview-stacks/expiry.ts";
export * from "./app.ts";
export * from "./aws-rules.ts";
export * from "./config-keys.ts";
export * from "./database.ts";
export * from "./environment.ts";
export * from "./guardrails.ts";
export * from "./masking-gate.ts";
export * from "./naming.ts";
export * from "./parameter-group.ts";
export * from "./quarantine.ts";
export * from "./replacement.ts";
export * from "./ssm-config.ts";
export * from "./tiers.ts";
