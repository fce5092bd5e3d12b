// Pulumi mocks for component tests: every registered resource is recorded by type token with its
// inputs AND the options the engine receives (ignoreChanges, protect, dependencies), read from the
// raw registration request, since MockResourceArgs does not carry options. Lookups are answered
// only when the test registered an answer; any other call throws.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

export interface RecordedOptions {
  ignoreChanges: string[];
  replaceOnChanges: string[];
  protect: boolean;
  dependencies: string[];
  parent: string;
}

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  options: RecordedOptions;
}

export interface RecordedCall {
  token: string;
  inputs: Record<string, unknown>;
}

export type CallAnswer = (inputs: Record<string, unknown>) => Record<string, unknown>;

export interface Recorder {
  readonly resources: RecordedResource[];
  readonly calls: RecordedCall[];
  /** Answers for provider functions (lookups), by token. */
  readonly answers: Map<string, CallAnswer>;
  /** Logical names whose create the provider fails, with its error message (a failed masking run). */
  readonly failCreate: Map<string, string>;
  /** Resources whose logical name starts with `prefix` (one environment's resources). */
  under(prefix: string): RecordedResource[];
  ofType(type: string, prefix?: string): RecordedResource[];
  /** Exactly one resource of this type under the prefix, or a failing assertion. */
  one(type: string, prefix?: string): RecordedResource;
  /** Resolves once no registration is in flight and none arrived for a few ticks. */
  settle(): Promise<void>;
}

const REGION = "eu-west-1";

function fakeId(seed: string): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, 10);
}

/** Cloud-side outputs a real provider would add, so components can read them. */
function providerOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  switch (type) {
    case "aws:rds/instance:Instance": {
      const address = `${String(inputs.identifier)}.c${fakeId(REGION)}.${REGION}.rds.amazonaws.com`;
      return {
        address,
        port: 5432,
        endpoint: `${address}:5432`,
        engineVersionActual: inputs.engineVersion,
        resourceId: `db-${fakeId(name).toUpperCase()}`,
      };
    }
    case "aws:rds/cluster:Cluster":
      return {
        endpoint: `${String(inputs.clusterIdentifier)}.cluster-c${fakeId(REGION)}.${REGION}.rds.amazonaws.com`,
        port: 5432,
        engineVersionActual: inputs.engineVersion,
        clusterResourceId: `cluster-${fakeId(name).toUpperCase()}`,
      };
    case "pulumi-nodejs:dynamic/parity:MaskingGate":
      return { maskedAt: "2026-01-01T00:00:00Z", tablesMasked: 3, rowsMasked: 1200 };
    default:
      return {};
  }
}

export async function installMocks(options: { project?: string; stack?: string } = {}): Promise<Recorder> {
  const resources: RecordedResource[] = [];
  const calls: RecordedCall[] = [];
  const answers = new Map<string, CallAnswer>([
    ["aws:index/getRegion:getRegion", () => ({ id: REGION, name: REGION, region: REGION })],
  ]);
  const failCreate = new Map<string, string>();
  const pendingOptions = new Map<string, RecordedOptions>();
  let inFlight = 0;
  let registrations = 0;

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        const key = `${args.type}::${args.name}`;
        const recordedOptions = pendingOptions.get(key) ?? {
          ignoreChanges: [],
          replaceOnChanges: [],
          protect: false,
          dependencies: [],
          parent: "",
        };
        resources.push({ type: args.type, name: args.name, inputs, options: recordedOptions });
        const failure = failCreate.get(args.name);
        if (failure !== undefined) throw new Error(failure);
        const state = { ...inputs, ...providerOutputs(args.type, args.name, inputs) };
        return { id: args.custom ? `${args.name}-id` : undefined, state };
      },
      call(args) {
        calls.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
        const answer = answers.get(args.token);
        if (!answer) throw new Error(`unexpected call ${args.token} ${JSON.stringify(args.inputs)}`);
        return answer(args.inputs as Record<string, unknown>);
      },
    },
    options.project ?? "parity",
    options.stack ?? "test",
  );

  // The mock monitor builds MockResourceArgs without the resource options; read them from the request.
  // biome-ignore lint/suspicious/noExplicitAny: the monitor is the SDK's untyped MockMonitor
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  // biome-ignore lint/suspicious/noExplicitAny: gRPC request and callback of the mock monitor
  monitor.registerResource = (request: any, callback: (error: unknown, response: unknown) => void) => {
    inFlight++;
    registrations++;
    pendingOptions.set(`${request.getType()}::${request.getName()}`, {
      ignoreChanges: request.getIgnorechangesList(),
      replaceOnChanges: request.getReplaceonchangesList(),
      protect: request.getProtect() === true,
      dependencies: request.getDependenciesList(),
      parent: request.getParent(),
    });
    return register(request, (error: unknown, response: unknown) => {
      inFlight--;
      callback(error, response);
    });
  };

  const under = (prefix: string) => resources.filter((r) => r.name.startsWith(prefix));
  const ofType = (type: string, prefix = "") => under(prefix).filter((r) => r.type === type);
  return {
    resources,
    calls,
    answers,
    failCreate,
    under,
    ofType,
    one(type, prefix = "") {
      const found = ofType(type, prefix);
      if (found.length !== 1) {
        throw new Error(
          `expected one ${type} under "${prefix}", found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
        );
      }
      return found[0] as RecordedResource;
    },
    async settle() {
      let quietTicks = 0;
      let seen = registrations;
      while (quietTicks < 5) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (inFlight === 0 && registrations === seen) quietTicks++;
        else {
          quietTicks = 0;
          seen = registrations;
        }
      }
    },
  };
}

/** The resolved value of an output (mocks never leave values unknown). */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
