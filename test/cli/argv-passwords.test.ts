// Every command that takes a database URL as an argument warns when the URL carries a password
// (readable by every local user through ps and /proc), and never echoes the password. The URLs name
// a closed port: the warning comes before any connection is tried.
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";

const WITH = "postgres://app:S3cretPw@127.0.0.1:1/shop";
const WITHOUT = "postgres://app@127.0.0.1:1/shop";

describe("a password in a URL on the command line", () => {
  it.each([
    ["plan --from", ["plan", "--from", WITH, "--to", WITHOUT]],
    ["plan --to", ["plan", "--from", WITHOUT, "--to", WITH]],
    ["lint --against", ["lint", "--plan", "/nonexistent/plan.json", "--against", WITH]],
    ["init --database-url", ["init", "--dir", "/nonexistent/dir", "--database-url", WITH]],
    ["promote --to", ["promote", "--from", WITHOUT, "--to", WITH, "--dry-run"]],
    ["mask --database-url", ["mask", "--database-url", WITH, "--rules", "/nonexistent/rules.yaml"]],
  ])("%s: warned about, never echoed", async (_name, args) => {
    const run = await runCli(...args);
    expect(run.stderr).toContain("carries a password, which other local users can read (ps)");
    expect(run.stdout + run.stderr).not.toContain("S3cretPw");
  });

  it("no warning for a URL without one", async () => {
    const run = await runCli("plan", "--from", WITHOUT, "--to", WITHOUT);
    expect(run.stderr).not.toContain("carries a password");
  });
});
