// What every demo needs around its servers: a temp dir the `postgres` user can reach (the servers
// run as that unprivileged user when we are root), and a cleanup that stops the servers and
// removes the dir once, whether the demo ends, fails or is interrupted (Ctrl-C, SIGTERM).
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmbeddedServer } from "../../test/support/embedded-postgres.ts";

export interface DemoWorkspace {
  root: string;
  /** Servers pushed here are stopped by close(). */
  servers: EmbeddedServer[];
  /** Stops the servers, removes the dir and the signal handlers; safe to call more than once. */
  close(): Promise<void>;
}

export async function openDemoWorkspace(
  prefix: string,
  options: { tempParent?: string; write: (text: string) => void },
): Promise<DemoWorkspace> {
  const root = await mkdtemp(join(options.tempParent ?? tmpdir(), prefix));
  await chmod(root, 0o755);
  const servers: EmbeddedServer[] = [];
  let cleaned: Promise<void> | undefined;
  const cleanup = () => {
    cleaned ??= Promise.allSettled(servers.map((server) => server.stop())).then(() =>
      rm(root, { recursive: true, force: true }),
    );
    return cleaned;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    options.write(`\n${signal}: stopping the demo servers and removing ${root}\n`);
    void cleanup().then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    root,
    servers,
    close() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      return cleanup();
    },
  };
}
