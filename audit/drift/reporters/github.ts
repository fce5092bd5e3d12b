// GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` annotation per
// finding and per environment that could not be read, which GitHub shows on the run and the pull
// request. GitHub shows only the first few annotations of each kind per step, so the last line is a
// notice with the totals. Escaping follows the runner's own (actions/toolkit, core/src/command.ts):
// %, CR and LF in messages; also : and , in properties.
// https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
import type { Severity } from "../../core/finding.ts";
import type { AuditResult } from "../runner/result.ts";
import { summaryLine } from "./shared.ts";

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

export function githubReporter(result: AuditResult): string {
  const lines: string[] = [];
  for (const error of result.errors) {
    lines.push(command("error", { title: `parity: ${error.environment} could not be read` }, error.message));
  }
  for (const finding of result.findings) {
    const { environment, objectType, object } = finding.location;
    lines.push(
      command(
        COMMAND[finding.severity],
        { title: `parity ${finding.ruleId} (${environment})` },
        `${objectType} ${object}: ${finding.message}`,
      ),
    );
  }
  lines.push(
    command(result.exitCode === 0 ? "notice" : "error", { title: "parity audit" }, summaryLine(result)),
  );
  return `${lines.join("\n")}\n`;
}

function command(name: string, properties: Record<string, string>, message: string): string {
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

export function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}
