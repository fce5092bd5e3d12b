import { describe, expect, it } from "vitest";
import { createProgress } from "../../audit/drift/runner/progress.ts";

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
