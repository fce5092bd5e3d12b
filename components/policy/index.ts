// The policy pack's entry (PulumiPolicy.yaml, package.json `main`): `new PolicyPack` starts the
// analyzer server Pulumi talks to, so it lives here alone and the policies are importable for tests.
import { PolicyPack } from "@pulumi/policy";
import { parityPolicies } from "./policies.ts";

new PolicyPack("parity", { enforcementLevel: "mandatory", policies: parityPolicies });
