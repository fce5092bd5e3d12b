// Child process the MaskingGate starts (`node --import tsx components/masking-worker.ts`): reads
// { databaseUrl, rulesFile, key } as JSON on stdin, masks the database with the masking library,
// prints a one-line JSON report. Secrets arrive on stdin so they never show in `ps`.
import { pathToFileURL } from "node:url";
import { loadMaskingRules, maskDatabase } from "../audit/masking/index.ts";
import type { MaskingResult } from "./masking-gate.ts";

interface WorkerRequest {
  databaseUrl: string;
  rulesFile: string;
  key: string;
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk.toString();
  return text;
}

export async function runMaskingRequest(request: WorkerRequest): Promise<MaskingResult> {
  const rules = await loadMaskingRules(request.rulesFile);
  const report = await maskDatabase({ databaseUrl: request.databaseUrl, rules, key: request.key });
  return { tables: report.tables.length, rows: report.rows, durationMs: report.durationMs };
}

async function main(): Promise<void> {
  const request = JSON.parse(await readStdin()) as WorkerRequest;
  const result = await runMaskingRequest(request);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
