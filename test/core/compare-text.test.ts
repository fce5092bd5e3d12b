import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { compareNatural, compareText } from "../../audit/core/compare-text.ts";
import { compareFindings, makeFinding } from "../../audit/core/finding.ts";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");

describe("compareText", () => {
  it("orders by code unit: upper case before lower, punctuation by its code", () => {
    expect(["b", "a", "B", "_x", "Z", "é", "e"].sort(compareText)).toEqual([
      "B",
      "Z",
      "_x",
      "a",
      "b",
      "e",
      "é",
    ]);
    expect(compareText("same", "same")).toBe(0);
  });

  it("sorts findings the same whatever the machine's locale", async () => {
    // A child process per locale: ICU reads LANG and LC_ALL once, when it starts.
    const script = `
      import { compareFindings, makeFinding } from ${JSON.stringify(join(root, "audit/core/finding.ts"))};
      const names = ["orders.Total", "orders.total", "orders._id", "Orders.id", "ärger.x", "zebra.x"];
      const findings = names.map((object) => makeFinding({ ruleId: "schema/extra", severity: "error",
        message: object, environment: "staging", objectType: "column", object }));
      console.log(JSON.stringify(findings.sort(compareFindings).map((finding) => finding.location.object)));`;
    const orderUnder = async (locale: string) => {
      const { stdout } = await run(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", script],
        {
          cwd: root,
          env: { ...process.env, LANG: locale, LC_ALL: locale },
        },
      );
      return JSON.parse(stdout) as string[];
    };
    const [english, swedish] = await Promise.all([orderUnder("en_US.UTF-8"), orderUnder("sv_SE.UTF-8")]);
    expect(english).toEqual([
      "Orders.id",
      "orders.Total",
      "orders._id",
      "orders.total",
      "zebra.x",
      "ärger.x",
    ]);
    expect(swedish).toEqual(english);
  }, 30_000);

  it("is what compareFindings uses after environment and rule", () => {
    const finding = (object: string) =>
      makeFinding({
        ruleId: "schema/extra",
        severity: "error",
        message: object,
        environment: "e",
        objectType: "table",
        object,
      });
    expect(
      [finding("b"), finding("B"), finding("a")].sort(compareFindings).map((f) => f.location.object),
    ).toEqual(["B", "a", "b"]);
  });
});

describe("compareNatural", () => {
  it.each([
    [
      ["t1000_orders", "t10_orders", "t2_orders", "t1_orders"],
      ["t1_orders", "t2_orders", "t10_orders", "t1000_orders"],
    ],
    [
      ["a", "a1", "a01", "a0"],
      ["a", "a0", "a1", "a01"],
    ],
    [
      ["x99999999999999999999", "x100000000000000000000"],
      ["x99999999999999999999", "x100000000000000000000"],
    ],
    [
      ["public.b", "public.a10", "public.a9"],
      ["public.a9", "public.a10", "public.b"],
    ],
  ])("%j → %j", (input, sorted) => {
    expect([...input].sort(compareNatural)).toEqual(sorted);
  });
});
