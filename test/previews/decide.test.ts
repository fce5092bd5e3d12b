// Pure parts of the reaper as tables: the verdict per stack, the stack name per branch, --now.
import { describe, expect, it } from "vitest";
import { relativeTime } from "../../audit/cli/previews/format.ts";
import { parseNow } from "../../audit/cli/previews/register.ts";
import { ParityInputError } from "../../audit/core/errors.ts";
import { decidePreview } from "../../audit/preview-stacks/index.ts";
import { previewStackName } from "../../components/naming.ts";

const NOW = new Date("2026-03-10T00:00:00Z");
const PAST = "2026-03-09T00:00:00Z";

describe.each([
  [
    "an expired preview",
    { name: "preview-a", outputs: { tier: "preview", expiresAt: PAST } },
    { state: "expired" },
  ],
  [
    "a preview expiring tomorrow",
    { name: "preview-a", outputs: { tier: "preview", expiresAt: "2026-03-11T00:00:00Z" } },
    { state: "alive", expiresAt: "2026-03-11T00:00:00Z" },
  ],
  [
    "a preview without expiry",
    { name: "preview-a", outputs: { tier: "preview" } },
    { state: "invalid", reason: "no expiresAt output" },
  ],
  [
    "a preview with a garbled expiry",
    { name: "preview-a", outputs: { expiresAt: "next week" } },
    { state: "invalid", reason: 'parity:expires-at "next week" is not an ISO-8601 UTC time' },
  ],
  ["production by name", { name: "production", outputs: { expiresAt: PAST } }, { state: "protected" }],
  [
    "staging, org-qualified",
    { name: "acme/shop/staging", outputs: { expiresAt: PAST } },
    { state: "protected" },
  ],
  ["prod-eu by name", { name: "prod-eu" }, { state: "protected" }],
  [
    "a preview-named stack of tier staging",
    { name: "preview-x", outputs: { tier: "staging", expiresAt: PAST } },
    { state: "protected", reason: "its tier output is staging" },
  ],
  [
    "a preview-named stack of some other tier",
    { name: "preview-x", outputs: { tier: "sandbox", expiresAt: PAST } },
    { state: "not-a-preview" },
  ],
  ["a stack not named preview", { name: "dev", outputs: { expiresAt: PAST } }, { state: "not-a-preview" }],
  [
    "an expired preview being updated",
    { name: "preview-a", updateInProgress: true, outputs: { expiresAt: PAST } },
    { state: "busy" },
  ],
  [
    "an unreadable preview",
    { name: "preview-a", readError: "boom" },
    { state: "unreadable", reason: "boom" },
  ],
])("%s", (_label, facts, verdict) => {
  it(`is ${verdict.state}`, () => expect(decidePreview(facts, NOW)).toMatchObject(verdict));
});

describe("previewStackName", () => {
  it.each([
    // A branch that is not its own slug gets a hash of the exact branch, so branches that slug
    // alike (feature/login, Feature/Login, feature-login) never share a preview.
    ["feature/login", "preview-feature-login-df7c7a"],
    ["Fix_Bug#42", "preview-fix-bug-42-e7be07"],
    ["123-hotfix", "preview-123-hotfix"],
    ["dependabot/npm_and_yarn/pg-8.23.1", "preview-dependabot-npm-and-yarn-pg-8-23-1-1314de"],
  ])("%s -> %s", (branch, stack) => expect(previewStackName(branch)).toBe(stack));

  it("keeps long names within Pulumi's 100 characters, distinct per branch", () => {
    const a = previewStackName(`feature/${"x".repeat(120)}-a`);
    const b = previewStackName(`feature/${"x".repeat(120)}-b`);
    expect(a.length).toBeLessThanOrEqual(100);
    expect(a).toMatch(/^preview-feature-x+-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
    expect(previewStackName(`feature/${"x".repeat(120)}-a`)).toBe(a);
  });

  it("rejects a branch without letters or digits", () => {
    expect(() => previewStackName("///")).toThrow(/needs a branch name with at least one letter or digit/);
  });
});

describe("--now", () => {
  it.each([
    ["2026-03-10T00:00:00Z", "2026-03-10T00:00:00.000Z"],
    ["2026-03-10", "2026-03-10T00:00:00.000Z"],
    ["2026-03-10T02:00:00+02:00", "2026-03-10T00:00:00.000Z"],
  ])("%s is %s", (value, iso) => expect(parseNow(value)?.toISOString()).toBe(iso));

  it.each(["yesterday", "2026-13-45", "1741564800", "2026-03-10T00:00"])("%s is bad input", (value) => {
    expect(() => parseNow(value)).toThrow(ParityInputError);
    expect(() => parseNow(value)).toThrow(`--now "${value}" is not an ISO-8601 time`);
  });
});

describe("relativeTime", () => {
  it.each([
    ["2026-03-12T06:00:00Z", "in 2d 6h"],
    ["2026-03-10T03:00:00Z", "in 3h"],
    ["2026-03-10T00:20:00Z", "in 20m"],
    ["2026-03-09T00:00:00Z", "1d ago"],
  ])("%s is %s", (iso, text) => expect(relativeTime(iso, NOW.toISOString())).toBe(text));
});
