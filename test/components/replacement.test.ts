// The options that keep a clone from being replaced behind the user's back, tested directly
// (environment.test.ts checks that the engine actually receives them).
import { describe, expect, it } from "vitest";
import { databaseResourceName, restoreIgnoreChanges } from "../../components/replacement.ts";

describe.each(["instance", "cluster"] as const)("restoreIgnoreChanges(%s)", (kind) => {
  it("ignores both restore inputs after the first create", () => {
    expect(restoreIgnoreChanges(kind).sort()).toEqual(["restoreToPointInTime", "snapshotIdentifier"]);
  });
});

describe.each([
  [undefined, "shop-staging-db"],
  [1, "shop-staging-db-g1"],
  ["2026-03-02", "shop-staging-db-g2026-03-02"],
])("databaseResourceName(generation %j)", (generation, expected) => {
  it(`is ${expected}`, () => expect(databaseResourceName("shop-staging", generation)).toBe(expected));
});

it("gives every generation its own resource name, so a refresh never inherits ignored state", () => {
  const names = [undefined, 1, 2, "3"].map((generation) => databaseResourceName("env", generation));
  expect(new Set(names).size).toBe(names.length);
});
