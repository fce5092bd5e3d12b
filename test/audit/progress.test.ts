import { describe, expect, it } from "vitest";
import { auditCommand } from "../../audit/cli/audit/command.ts";
import { defaultRegistry } from "../../audit/drift/checks/index.ts";
import { createProgress } from "../../audit/drift/runner/progress.ts";
import type { ProgressEvent } from "../../audit/drift/runner/run-audit.ts";
import { createTestDatabase, testedMajors } from "../support/databases.ts";
import { tempDirWith } from "./support/files.ts";

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (chunk: string) => chunks.push(chunk) > 0 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("progress on stderr", () => {
  it("stays silent when the stream is not a TTY", async () => {
    const target = stream(false);
    const progress = createProgress(target, { delayMs: 0 });
    progress.onProgress({ type: "start", reads: 2 });
    await sleep(30);
    progress.stop();
    expect(target.chunks).toEqual([]);
  });

  it("stays silent when the audit finishes within the delay", async () => {
    const target = stream(true);
    const progress = createProgress(target, { delayMs: 200 });
    progress.onProgress({ type: "start", reads: 2 });
    progress.onProgress({ type: "read-done", environment: "staging", check: "config", ok: true });
    progress.stop();
    await sleep(250);
    expect(target.chunks).toEqual([]);
  });

  it("on a TTY, after the delay, shows what has been read, and clears its line when stopped", async () => {
    const target = stream(true);
    const progress = createProgress(target, { delayMs: 10 });
    progress.onProgress({ type: "start", reads: 4 });
    progress.onProgress({ type: "read-done", environment: "staging", check: "database", ok: false });
    await sleep(60);
    progress.stop();
    const drawn = target.chunks.join("");
    expect(drawn).toContain("parity audit: read 1/4 (staging: database failed)");
    expect(target.chunks.at(-1)).toBe("\r\u001b[K");
    const count = target.chunks.length;
    await sleep(150);
    expect(target.chunks).toHaveLength(count);
  });
});

describe("progress counts the objects read", () => {
  it("adds the objects each read reports to the line", async () => {
    const target = stream(true);
    const progress = createProgress(target, { delayMs: 10 });
    progress.onProgress({ type: "start", reads: 2 });
    progress.onProgress({ type: "objects", environment: "production", count: 1200 });
    progress.onProgress({ type: "objects", environment: "staging", count: 34 });
    await sleep(60);
    progress.stop();
    expect(target.chunks.join("")).toContain("parity audit: read 0/2, 1,234 objects");
  });

  it.each(testedMajors())(
    "a real audit on PostgreSQL %i reports catalog objects per environment as they are read",
    async (major) => {
      const tables = Array.from(
        { length: 30 },
        (_, index) => `create table t${index} (id bigint primary key, note text);`,
      ).join("\n");
      const [production, staging] = await Promise.all([
        createTestDatabase(major, tables),
        createTestDatabase(major, tables),
      ]);
      const cwd = await tempDirWith({
        "parity.config.yaml": `
baseline: production
environments:
  production: { database: { url: "\${P}" } }
  staging: { database: { url: "\${S}" } }
`,
      });
      const events: ProgressEvent[] = [];
      await auditCommand({
        cwd,
        registry: defaultRegistry,
        reporters: ["json=report.json"],
        variables: { P: production?.url, S: staging?.url },
        onProgress: (event) => events.push(event),
      });
      const objects = new Map<string, number>();
      for (const event of events) {
        if (event.type === "objects") {
          objects.set(event.environment, (objects.get(event.environment) ?? 0) + event.count);
        }
      }
      // 30 tables with 2 columns and a primary key each: at least 30 × (1 + 2 + 1 + 1) catalog rows.
      expect(objects.get("production")).toBeGreaterThanOrEqual(150);
      expect(objects.get("staging")).toBeGreaterThanOrEqual(150);
    },
  );
});
