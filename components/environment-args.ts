// The Environment's args and the plan computed from them (types only).
import type * as pulumi from "@pulumi/pulumi";
import type { AppDefinition, DatabaseKind, EngineSpec } from "./app.ts";
import type { DatabaseSource } from "./database.ts";
import type { ProductionFootprint } from "./guardrails.ts";
import type { Tier, TierSettings } from "./tiers.ts";

/** How a non-production tier copies production's data. */
export interface CloneArgs {
  /** RDS instance: restore this snapshot instead of the most recent one found by lookup. */
  readonly snapshotIdentifier?: string;
  /** RDS instance: only consider automated or manual snapshots in the lookup (default: both). */
  readonly snapshotType?: "automated" | "manual";
  /**
   * Aurora: restore production as of this UTC time (`2026-03-01T09:30:00Z`) instead of cloning it
   * at its latest restorable time. AWS restores a point in time only as a full copy (slower and
   * billed as its own storage); without a time the clone is copy-on-write.
   */
  readonly restoreToTime?: string;
  /**
   * Bump to rebuild this tier from production's current data on the next `up`. It is part of the
   * database's resource name and identifier: the new clone is created and masked next to the old
   * one, then the old one is deleted. Until it changes, newer snapshots never replace the database.
   */
  readonly generation?: string | number;
}

/** The masking run that must succeed before a clone is opened to anyone but the masking runner. */
export interface MaskingArgs {
  /** The masking rules file (validated by the masking library). */
  readonly rulesFile: string;
  /** The HMAC key; the same key in every clone keeps masked rows recognisable across clones. */
  readonly key: pulumi.Input<string>;
  /** Where the key comes from (an SSM name or ARN); checked against production's paths and secrets. */
  readonly keyReference?: string;
  /** Worker command (default: node with tsx running components/masking-worker.ts) and its cwd. */
  readonly command?: readonly string[];
  readonly cwd?: string;
  /** `sslmode` of the masking connection (default `no-verify`: encrypted, RDS CA not pinned). */
  readonly sslMode?: string;
  /** Seconds to wait for the TCP + TLS + startup handshake before giving up (default 15). */
  readonly connectTimeoutSeconds?: number;
  /** Minutes the whole masking run may take before the worker is killed (default 60). */
  readonly deadlineMinutes?: number;
  /** Replaces the dynamic provider (tests, custom runners). */
  readonly provider?: pulumi.dynamic.ResourceProvider;
}

/** Where the masking runner connects from; the quarantine admits only this. */
export interface MaskingRunnerAccess {
  /** CIDR blocks of the runner (e.g. the self-hosted runner's subnet). Never 0.0.0.0/0. */
  readonly cidrBlocks?: readonly string[];
  /** The runner's security group. */
  readonly securityGroupId?: string;
}

export interface NetworkArgs {
  readonly subnetGroupName?: pulumi.Input<string>;
  /** Production only: the database's own security groups. */
  readonly securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Clones: the VPC the quarantine security group is created in (the subnet group's VPC). */
  readonly vpcId?: pulumi.Input<string>;
  /** Clones: security groups admitted to the database only once masking has committed. */
  readonly clientSecurityGroupIds?: readonly string[];
  /** Clones: the masking runner, the only client the quarantine admits before masking. */
  readonly maskingRunner?: MaskingRunnerAccess;
}

export interface EnvironmentArgs {
  /** Shared by every tier: engine pin, parameters, extensions, config keys, declared tier overrides. */
  readonly app: AppDefinition;
  readonly tier: Tier;
  /** Previews only: the git branch, which names the preview. */
  readonly branch?: string;
  /** A value for every declared config key; secret keys take Pulumi secrets. */
  readonly config: Readonly<Record<string, pulumi.Input<string>>>;
  /** This tier's own master password (a Pulumi secret). Clones get it set right after the restore. */
  readonly masterPassword: pulumi.Input<string>;
  /** Non-production only: how to copy production's data. */
  readonly clone?: CloneArgs;
  /** Non-production only, and required there: the masking run gating the clone. */
  readonly masking?: MaskingArgs;
  readonly network?: NetworkArgs;
  /** Previews only: days until `parity:expires-at`, counted from this deploy (default 7). */
  readonly previewTtlDays?: number;
  /** The deploy time, injectable for tests (default: the clock). */
  readonly now?: () => Date;
  /** Extra tags; keys starting with `parity:` are reserved. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Everything the Environment will build, computed without touching Pulumi. */
export interface EnvironmentPlan {
  readonly tier: Tier;
  readonly kind: DatabaseKind;
  readonly engine: EngineSpec;
  readonly settings: TierSettings;
  readonly parameters: Record<string, string>;
  readonly identifier: string;
  readonly resourceName: string;
  readonly parameterGroupName: string;
  readonly ssmPath: string;
  readonly production: ProductionFootprint;
  readonly source?: DatabaseSource;
  readonly tags: Record<string, string>;
  readonly expiresAt?: string;
}
