// One case per kind of object: each is read from real PostgreSQL 15 databases (or the case's
// oldest major, when newer and tested) in four shapes
// (base only, base + object, base + object again, base + changed object) and compared as
//   missing: object → base, extra: base → object, changed: object → changed, twin: object → object again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../audit/core/finding.ts";
import {
  compareSnapshots,
  type DatabaseSnapshot,
  introspectDatabase,
} from "../../audit/drift/checks/database/index.ts";
import { createTestDatabase, type TestDatabase, testedMajors } from "../support/databases.ts";
import type { EmbeddedMajor } from "../support/embedded-postgres.ts";
import { cases } from "./drift-case-table.ts";

function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.location.objectType} ${f.location.object}`).sort();
}

describe.each(cases)("$kind", (driftCase) => {
  // 15, or the oldest major the case loads on (18's NOT NULL constraints), when it is tested.
  const major = Math.max(15, driftCase.minMajor ?? 15, driftCase.changedMinMajor ?? 15) as EmbeddedMajor;
  const tested = testedMajors().includes(major);
  const databases: TestDatabase[] = [];
  const snapshots: Record<"base" | "object" | "again" | "changed", DatabaseSnapshot | undefined> = {
    base: undefined,
    object: undefined,
    again: undefined,
    changed: undefined,
  };

  beforeAll(async () => {
    const shapes = {
      base: driftCase.base,
      object: `${driftCase.base}\n${driftCase.object}`,
      again: `${driftCase.base}\n${driftCase.object}`,
      changed: `${driftCase.base}\n${driftCase.changed}`,
    };
    await Promise.all(
      (Object.entries(shapes) as [keyof typeof shapes, string][]).map(async ([shape, sql]) => {
        if (!tested) return;
        const database = await createTestDatabase(major, sql, {
          autoDrop: false,
          prefix: "drift",
          subscriptions: driftCase.subscriptions,
        });
        databases.push(database);
        snapshots[shape] = await introspectDatabase(database.url);
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  const compare = (baseline: keyof typeof snapshots, target: keyof typeof snapshots) =>
    compareSnapshots(snapshots[baseline] as DatabaseSnapshot, snapshots[target] as DatabaseSnapshot, {
      baseline,
      target,
    });
  const own = `${driftCase.objectType} ${driftCase.name}`;

  it.runIf(tested)("reports the object missing from a target that lacks it", () => {
    expect(summary(compare("object", "base"))).toEqual(
      [`schema/missing ${own}`, ...(driftCase.alsoMissing ?? [])].sort(),
    );
  });

  it.runIf(tested)("reports the object as extra in a target that has it only", () => {
    const extra = (driftCase.alsoMissing ?? []).map((line) => line.replace("schema/missing", "schema/extra"));
    expect(summary(compare("base", "object"))).toEqual([`schema/extra ${own}`, ...extra].sort());
  });

  it.runIf(tested)("reports what changed, with expected and actual", () => {
    const findings = compare("object", "changed");
    const rule = driftCase.changedRule ?? "schema/changed";
    if (driftCase.changedProps.length === 0 && !driftCase.changedRule) {
      // A change that only restores the built-in default (e.g. grant back to PUBLIC): the
      // explicit, non-default privilege is gone.
      expect(summary(findings)).toEqual([`schema/missing ${own}`]);
      return;
    }
    expect(summary(findings)).toEqual([`${rule} ${own}`, ...(driftCase.alsoChanged ?? [])].sort());
    const finding = findings.find((f) => f.location.object === driftCase.name) as Finding;
    if (rule === "schema/changed") {
      expect(Object.keys(finding.expected as object).sort()).toEqual([...driftCase.changedProps].sort());
      expect(Object.keys(finding.actual as object).sort()).toEqual([...driftCase.changedProps].sort());
      if (driftCase.changedProps.includes("definition")) {
        expect(finding.diff).toMatch(/^-/m);
        expect(finding.diff).toMatch(/^\+/m);
      } else {
        expect(finding.diff).toBeUndefined();
      }
    } else {
      expect(finding.expected).not.toEqual(finding.actual);
    }
  });

  it.runIf(tested)("reports nothing for an identical twin", () => {
    expect(compare("object", "again")).toEqual([]);
  });
});
