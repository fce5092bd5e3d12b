// Run with `node --import tsx`: builds a MaskingGate under mocks the way a real `pulumi up` program
// is transformed (tsx, not vitest), and prints the serialized provider the stack would store.
import * as pulumi from "@pulumi/pulumi";

let provider = "";
await pulumi.runtime.setMocks(
  {
    newResource(args) {
      if (typeof args.inputs.__provider === "string") provider = args.inputs.__provider;
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call() {
      throw new Error("no lookups expected");
    },
  },
  "parity",
  "tsx",
);
const { MaskingGate } = await import("../../../components/masking-gate.ts");
const gate = new MaskingGate("tsx-gate", {
  databaseIdentifier: "db",
  databaseResourceId: "db-1",
  host: "localhost",
  port: 5432,
  databaseName: "shop",
  username: "u",
  password: "p",
  rulesFile: "/r.yaml",
  rulesDigest: "d",
  key: "k",
  command: ["node"],
  cwd: "/",
});
await new Promise((resolve) => gate.urn.apply(resolve));
process.stdout.write(provider);
