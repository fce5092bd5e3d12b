// The plan judged by `parity lint` against the TARGET's real sizes, in the session promote really
// runs it in (one transaction with lock_timeout and statement_timeout set), with the config's lint
// settings, rule levels and lint ignore list. Errors block the promotion unless --accept-risk names
// each erroring rule; what was accepted goes into the record.
import type { Finding } from "../core/finding.ts";
import type { LintResult } from "../lint/result.ts";
import { runLint } from "../lint/run.ts";
import { resolveLintSettings } from "../lint/settings.ts";
import type { ParityConfig } from "../parity-config/types.ts";
import type { PlanFile } from "../plan/plan-file.ts";
import type { AcceptedRisk } from "./record/record-file.ts";

export const PLAN_LABEL = "promotion plan";

export async function lintPlan(
  plan: PlanFile,
  target: { url: string; name: string },
  config: ParityConfig,
  session: string,
): Promise<LintResult> {
  return runLint({
    sources: [{ plan, file: PLAN_LABEL, session }],
    target: { url: target.url, environment: target.name },
    settings: resolveLintSettings(config.lint),
    ignore: config.lint?.ignore ?? [],
    rules: config.rules,
    configFile: config.file,
    cwd: config.dir,
  });
}

export interface RiskVerdict {
  /** Error findings whose rule --accept-risk named: recorded. */
  accepted: AcceptedRisk[];
  /** Rules with error findings --accept-risk did not name: the promotion is refused. */
  blocking: string[];
  /** --accept-risk names that matched no error finding (likely a typo). */
  unused: string[];
}

/** Pure: which error findings the named rules accept, and which still block. */
export function judgeRisks(findings: readonly Finding[], acceptRisk: readonly string[]): RiskVerdict {
  const named = new Set(acceptRisk.map((rule) => (rule.startsWith("lint/") ? rule : `lint/${rule}`)));
  const errors = findings.filter((finding) => finding.severity === "error");
  const accepted = errors
    .filter((finding) => named.has(finding.ruleId))
    .map((finding) => {
      const index = /#statements\[(\d+)\]/.exec(finding.message)?.[1];
      return {
        rule: finding.ruleId,
        message: finding.message,
        ...(index !== undefined ? { statement: Number(index) } : {}),
      };
    });
  const blocking = [
    ...new Set(errors.filter((finding) => !named.has(finding.ruleId)).map((finding) => finding.ruleId)),
  ].sort();
  const erroring = new Set(errors.map((finding) => finding.ruleId));
  const unused = [...named].filter((rule) => !erroring.has(rule)).sort();
  return { accepted, blocking, unused };
}
