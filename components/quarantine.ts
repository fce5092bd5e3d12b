// The network quarantine of a fresh clone. The clone's only security group admits the masking
// runner alone; the app's security groups are admitted by ingress rules that are created only
// after the masking gate committed (their inputs are derived from the gate's outputs). A gate that
// fails or times out therefore leaves the clone quarantined: reachable by the runner, never by the
// app or anything else the VPC's other security groups allow.
//
// Rules are separate aws.vpc.SecurityGroupIngressRule resources, never inline `ingress` blocks:
// the provider documents that mixing inline rules and rule resources on one group makes them fight
// (@pulumi/aws ec2/securityGroup.d.ts, "NOTE on Security Groups and Security Group Rules").
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { MaskingRunnerAccess } from "./environment-args.ts";

/** The port the component's databases listen on (it never sets `port`, so RDS's PostgreSQL default). */
export const POSTGRES_PORT = 5432;

export interface QuarantineArgs {
  readonly vpcId: pulumi.Input<string>;
  /** The clone's identifier, so the group is found next to it (`<identifier>-quarantine`). */
  readonly identifier: string;
  readonly maskingRunner: MaskingRunnerAccess;
  readonly tags: Readonly<Record<string, string>>;
}

export class Quarantine extends pulumi.ComponentResource {
  readonly securityGroupId: pulumi.Output<string>;
  private readonly name: string;

  constructor(name: string, args: QuarantineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("parity:network:Quarantine", name, {}, opts);
    this.name = name;
    const group = new aws.ec2.SecurityGroup(
      `${name}-group`,
      {
        name: `${args.identifier}-quarantine`,
        description: `parity: ${args.identifier}, masking runner only until masking committed`,
        vpcId: args.vpcId,
        tags: { ...args.tags },
      },
      { parent: this },
    );
    this.securityGroupId = group.id;
    const runner = args.maskingRunner;
    (runner.cidrBlocks ?? []).forEach((cidrIpv4, index) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-runner-${index + 1}`,
        {
          securityGroupId: group.id,
          ipProtocol: "tcp",
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          cidrIpv4,
          description: "parity masking runner",
          tags: { ...args.tags },
        },
        { parent: this },
      );
    });
    if (runner.securityGroupId !== undefined) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-runner-group`,
        {
          securityGroupId: group.id,
          ipProtocol: "tcp",
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          referencedSecurityGroupId: runner.securityGroupId,
          description: "parity masking runner",
          tags: { ...args.tags },
        },
        { parent: this },
      );
    }
    this.registerOutputs({ securityGroupId: this.securityGroupId });
  }

  /**
   * Admits the app's security groups once `maskedAt` resolves: each rule's group id is derived
   * from it, so no rule exists (not even in a partial `up`) before the gate's create succeeded.
   */
  admitAfterMasking(
    clientSecurityGroupIds: readonly string[],
    maskedAt: pulumi.Output<string>,
    tags: Readonly<Record<string, string>>,
  ): aws.vpc.SecurityGroupIngressRule[] {
    const openedGroupId = pulumi
      .all([maskedAt, this.securityGroupId])
      .apply(([, securityGroupId]) => securityGroupId);
    return clientSecurityGroupIds.map(
      (referencedSecurityGroupId, index) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${this.name}-client-${index + 1}`,
          {
            securityGroupId: openedGroupId,
            ipProtocol: "tcp",
            fromPort: POSTGRES_PORT,
            toPort: POSTGRES_PORT,
            referencedSecurityGroupId,
            description: "parity: app access, opened after masking",
            tags: { ...tags },
          },
          { parent: this },
        ),
    );
  }
}
