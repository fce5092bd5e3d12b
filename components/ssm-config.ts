// A tier's config in SSM Parameter Store: one parameter per declared key under `/<app>/<tier>/`,
// plus the connection keys the component writes from the database it built.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ParityInputError } from "../audit/core/errors.ts";
import { CONNECTION_KEYS, type ConfigKeySet, validateConfigValues } from "./config-keys.ts";

export type ConnectionValues = Readonly<Record<(typeof CONNECTION_KEYS)[number], pulumi.Input<string>>>;

export interface ConfigArgs {
  /** `/shop/staging/`: ends with a slash. */
  readonly path: string;
  readonly keys: ConfigKeySet;
  /** A value for every declared key; secret keys take Pulumi secrets. */
  readonly values: Readonly<Record<string, pulumi.Input<string>>>;
  /** Connection details; `database-password` is stored as SecureString. */
  readonly connection: ConnectionValues;
  readonly tags: Readonly<Record<string, string>>;
}

export class SsmConfig extends pulumi.ComponentResource {
  readonly path: string;
  /** Parameter name → resource, for callers that need to depend on one. */
  readonly parameters: Readonly<Record<string, aws.ssm.Parameter>>;

  constructor(name: string, args: ConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    // The type token keeps its first name: changing it would replace every existing stack's parameters.
    super("parity:config:Config", name, {}, opts);
    const problems = validateConfigValues(args.keys, args.values, `Config "${name}"`);
    if (!args.path.startsWith("/") || !args.path.endsWith("/"))
      problems.push(`path "${args.path}" must start and end with "/"`);
    if (problems.length > 0) throw new ParityInputError(`Config "${name}" cannot be built`, problems);

    this.path = args.path;
    const parameters: Record<string, aws.ssm.Parameter> = {};
    const put = (key: string, value: pulumi.Input<string>, secret: boolean, description: string) => {
      parameters[key] = new aws.ssm.Parameter(
        `${name}-${key}`,
        {
          name: `${args.path}${key}`,
          type: secret ? "SecureString" : "String",
          value: secret ? pulumi.secret(value) : value,
          description,
          tags: { ...args.tags },
        },
        { parent: this },
      );
    };
    for (const [key, spec] of Object.entries(args.keys)) {
      const value = args.values[key];
      if (value !== undefined) put(key, value, spec.secret === true, spec.description);
    }
    for (const key of CONNECTION_KEYS) {
      put(
        key,
        args.connection[key],
        key === "database-password",
        `parity: ${key.replace("-", " ")} of this tier's database`,
      );
    }
    this.parameters = parameters;
    this.registerOutputs({ path: this.path });
  }
}
