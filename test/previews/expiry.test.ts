// The reaper contract as a table: which tagged databases are expired previews, and which are not
// to be touched.
import { describe, expect, it } from "vitest";
import { previewExpiry, reapCommands } from "../../audit/preview-stacks/expiry.ts";

const NOW = new Date("2026-03-10T00:00:00Z");
const preview = (tags: Record<string, string>) => ({
  identifier: "shop-pv-x",
  tags: { "parity:tier": "preview", "parity:stack": "preview-x", ...tags },
});

describe.each([
  [
    "expired yesterday",
    preview({ "parity:expires-at": "2026-03-09T00:00:00Z" }),
    { state: "expired", stack: "preview-x" },
  ],
  ["expiring exactly now", preview({ "parity:expires-at": "2026-03-10T00:00:00Z" }), { state: "expired" }],
  ["expiring tomorrow", preview({ "parity:expires-at": "2026-03-11T00:00:00Z" }), { state: "alive" }],
  ["staging", { identifier: "shop-staging", tags: { "parity:tier": "staging" } }, { state: "not-a-preview" }],
  ["untagged", { identifier: "legacy", tags: {} }, { state: "not-a-preview" }],
  ["without expiry", preview({}), { state: "invalid", reason: "no parity:expires-at tag" }],
  ["with a garbled expiry", preview({ "parity:expires-at": "next week" }), { state: "invalid" }],
  [
    "claiming to be a preview of the production stack",
    preview({ "parity:expires-at": "2026-03-01T00:00:00Z", "parity:stack": "production" }),
    { state: "invalid", reason: 'parity:stack "production" is not a preview stack' },
  ],
])("a database %s", (_label, database, verdict) => {
  it(`is ${verdict.state}`, () => expect(previewExpiry(database, NOW)).toMatchObject(verdict));
});

it("reaps with destroy, then stack rm", () => {
  expect(reapCommands("preview-x")).toEqual([
    ["pulumi", "destroy", "--yes", "--stack", "preview-x"],
    ["pulumi", "stack", "rm", "--yes", "preview-x"],
  ]);
});
