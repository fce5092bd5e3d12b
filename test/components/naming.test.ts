// Names and expiry, pure: what the reaper and the audit can recompute without Pulumi.
import { describe, expect, it } from "vitest";
import {
  branchSlug,
  databaseIdentifier,
  environmentSlug,
  expiresAt,
  previewStackName,
  rdsIdentifier,
  slugify,
  ssmPath,
  tagValue,
} from "../../components/naming.ts";

const RDS_RULES = /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/;

describe.each([
  ["feature/Login-Page", "feature-login-page"],
  ["FIX__Bug#42", "fix-bug-42"],
  ["--weird--", "weird"],
  ["release/2026.03", "release-2026-03"],
  ["émoji-🚀-branch", "moji-branch"],
])("slugify(%j)", (input, expected) => {
  it(`is ${expected}`, () => expect(slugify(input)).toBe(expected));
});

describe.each([
  [["shop", "pv", "feature/login"], "shop-pv-feature-login"],
  [["shop", "pv", "123-hotfix"], "shop-pv-123-hotfix"],
  [["9lives", "staging"], "x-9lives-staging"],
])("rdsIdentifier(%j)", (parts, expected) => {
  it(`is ${expected} and follows the RDS rules`, () => {
    expect(rdsIdentifier(parts)).toBe(expected);
    expect(rdsIdentifier(parts)).toMatch(RDS_RULES);
  });
});

describe("long identifiers", () => {
  const long = `feature/${"x".repeat(80)}`;
  it.each([63, 60, 20])("fit in %i characters and end in a hash", (max) => {
    const id = rdsIdentifier(["shop", "pv", long], max);
    expect(id.length).toBeLessThanOrEqual(max);
    expect(id).toMatch(RDS_RULES);
    expect(id).toMatch(/-[0-9a-f]{6}$/);
  });
  it("differ for branches that only differ after the cut", () => {
    expect(rdsIdentifier(["shop", "pv", `${long}-a`])).not.toBe(rdsIdentifier(["shop", "pv", `${long}-b`]));
  });
  it("do not lose the hash to a hyphen at the cut", () => {
    const id = rdsIdentifier(["shop", "pv", `${"a".repeat(49)}-${"b".repeat(30)}`]);
    expect(id).not.toMatch(/--/);
  });
  it("are stable (the same branch always gets the same name)", () => {
    expect(rdsIdentifier(["shop", "pv", long])).toBe(rdsIdentifier(["shop", "pv", long]));
  });
});

describe.each([
  [{ app: "shop", tier: "production" as const }, undefined, "shop-production", "/shop/production/"],
  [{ app: "shop", tier: "staging" as const }, undefined, "shop-staging", "/shop/staging/"],
  [{ app: "shop", tier: "staging" as const }, 3, "shop-staging-g3", "/shop/staging/"],
  [
    { app: "shop", tier: "preview" as const, branch: "feat-x" },
    undefined,
    "shop-pv-feat-x",
    "/shop/preview/feat-x/",
  ],
  [
    { app: "shop", tier: "preview" as const, branch: "feat/x" },
    undefined,
    "shop-pv-feat-x-79b4cc",
    "/shop/preview/feat-x-79b4cc/",
  ],
  [
    { app: "shop", tier: "preview" as const, branch: "feat/x" },
    "2026-03",
    "shop-pv-feat-x-79b4cc-g2026-03",
    "/shop/preview/feat-x-79b4cc/",
  ],
])("names for %j, generation %j", (input, generation, identifier, path) => {
  it(`identifier ${identifier}, SSM path ${path}`, () => {
    expect(databaseIdentifier(input, generation)).toBe(identifier);
    expect(ssmPath(input)).toBe(path);
  });
});

describe("previews without a usable branch", () => {
  it.each([undefined, "", "///"])("reject branch %j", (branch) => {
    expect(() => environmentSlug({ app: "shop", tier: "preview", branch })).toThrow(/needs a branch name/);
  });
});

describe.each([
  ["2026-03-01T12:00:00.000Z", undefined, "2026-03-08T12:00:00Z"],
  ["2026-03-01T12:00:00.000Z", 1, "2026-03-02T12:00:00Z"],
  ["2026-12-28T23:30:00.000Z", 7, "2027-01-04T23:30:00Z"],
  ["2026-03-01T12:00:00.000Z", 0.5, "2026-03-02T00:00:00Z"],
])("expiresAt(%s, %j)", (now, days, expected) => {
  it(`is ${expected}`, () => expect(expiresAt(new Date(now), days)).toBe(expected));
});

it.each([0, -1, Number.NaN])("expiresAt rejects a TTL of %j days", (days) => {
  expect(() => expiresAt(new Date(), days)).toThrow(/positive number of days/);
});

describe.each([
  ["feature/login", "feature/login"],
  ["fix#42 (urgent)", "fix_42 _urgent_"],
  ["a".repeat(300), "a".repeat(256)],
])("tagValue(%j)", (input, expected) => {
  it("keeps only characters AWS tags allow", () => expect(tagValue(input)).toBe(expected));
});

describe("branches that slug alike get different previews", () => {
  // Each pair used to share one identifier, SSM path and stack: closing one pull request destroyed
  // the other's preview.
  it.each([
    ["Feature/Login", "feature-login"],
    ["feature/login", "feature-login"],
    ["fix/a_b", "fix/a.b"],
    ["Release-1", "release-1"],
  ])("%j and %j", (a, b) => {
    const names = (branch: string) => ({
      identifier: databaseIdentifier({ app: "shop", tier: "preview", branch }),
      cluster: databaseIdentifier({ app: "shop", tier: "preview", branch }, undefined, 60),
      path: ssmPath({ app: "shop", tier: "preview", branch }),
      stack: previewStackName(branch),
    });
    const [first, second] = [names(a), names(b)];
    for (const key of ["identifier", "cluster", "path", "stack"] as const) {
      expect(first[key]).not.toBe(second[key]);
    }
    for (const { identifier, cluster } of [first, second]) {
      expect(identifier).toMatch(RDS_RULES);
      expect(cluster.length).toBeLessThanOrEqual(60);
    }
  });

  it("keeps a branch that is its own slug verbatim, with no hash", () => {
    expect(branchSlug("fix-login-42", 48)).toBe("fix-login-42");
    expect(previewStackName("fix-login-42")).toBe("preview-fix-login-42");
  });

  it("keeps the hash when a long slug is cut, within every limit", () => {
    const long = `Feature/${"x".repeat(120)}`;
    const slug = branchSlug(long, 48);
    expect(slug.length).toBeLessThanOrEqual(48);
    expect(slug).toMatch(/-[0-9a-f]{6}$/);
    expect(previewStackName(long).length).toBeLessThanOrEqual(100);
    expect(previewStackName(long)).toMatch(/^[a-z0-9-]+$/);
    const identifier = databaseIdentifier({ app: "shop", tier: "preview", branch: long }, "2026-03-02", 60);
    expect(identifier.length).toBeLessThanOrEqual(60);
    expect(identifier).toMatch(RDS_RULES);
  });
});
