// What the schema benchmark times as a process: read two databases, compare them, print the
// findings as JSON lines (one per finding) and a summary line. Usage: <baseline-url> <target-url>
import { compareSnapshots, introspectDatabase } from "../audit/schema/index.ts";

const [baselineUrl, targetUrl] = process.argv.slice(2);
if (!baselineUrl || !targetUrl) {
  console.error("usage: schema-audit-process.ts <baseline-url> <target-url>");
  process.exitCode = 2;
} else {
  const [baseline, target] = await Promise.all([
    introspectDatabase(baselineUrl),
    introspectDatabase(targetUrl),
  ]);
  const findings = compareSnapshots(baseline, target, { baseline: "baseline", target: "target" });
  const lines = findings.map((finding) => JSON.stringify(finding));
  lines.push(JSON.stringify({ findings: findings.length, objects: Object.keys(baseline.objects).length }));
  process.stdout.write(`${lines.join("\n")}\n`);
}
