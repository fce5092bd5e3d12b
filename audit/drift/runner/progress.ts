// A progress line on stderr while environments are read. Only on a TTY (never in CI logs or
// pipes), and only once the audit has taken more than a moment, so quick runs stay quiet.
import type { ProgressEvent } from "./run-audit.ts";

export interface ProgressStream {
  isTTY?: boolean;
  write(chunk: string): boolean;
}

export interface Progress {
  onProgress(event: ProgressEvent): void;
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function createProgress(stream: ProgressStream, options: { delayMs?: number } = {}): Progress {
  if (!stream.isTTY) return { onProgress: () => {}, stop: () => {} };
  let total = 0;
  let done = 0;
  let objects = 0;
  let last = "";
  let frame = 0;
  let shown = false;
  let ticker: NodeJS.Timeout | undefined;

  const draw = () => {
    frame = (frame + 1) % FRAMES.length;
    const counted = objects > 0 ? `, ${objects.toLocaleString("en-US")} objects` : "";
    stream.write(
      `\r\u001b[K${FRAMES[frame]} parity audit: read ${done}/${total}${counted}${last ? ` (${last})` : ""}`,
    );
    shown = true;
  };
  const delay = setTimeout(() => {
    draw();
    ticker = setInterval(draw, 100);
    ticker.unref();
  }, options.delayMs ?? 400);
  delay.unref();

  return {
    onProgress(event) {
      if (event.type === "start") total = event.reads;
      else if (event.type === "objects") objects += event.count;
      else {
        done += 1;
        last = `${event.environment}: ${event.check}${event.ok ? "" : " failed"}`;
      }
    },
    stop() {
      clearTimeout(delay);
      if (ticker) clearInterval(ticker);
      if (shown) stream.write("\r\u001b[K");
    },
  };
}
