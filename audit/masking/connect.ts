// Connections for masking and cloning: a database that cannot be reached is the user's input to fix
// (a wrong URL, a stopped server, a missing database), so it becomes a clear exit-2 error, not a "bug".
import type pg from "pg";
import { ParityInputError } from "../core/errors.ts";
import { newClient } from "../core/pg-client.ts";
import { redactUrl } from "./redact-url.ts";

export async function connectTo(url: string): Promise<pg.Client> {
  // pg reads anything else as a URL relative to "base" and fails with "ENOTFOUND base".
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ParityInputError(
      `cannot connect to ${redactUrl(url)}: not a postgres:// or postgresql:// connection URL`,
    );
  }
  const client = newClient({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new ParityInputError(`cannot connect to ${redactUrl(url)}: ${(error as Error).message}`);
  }
  return client;
}

/** Runs `work` on a fresh connection to `url`, closing it afterwards. */
export async function onConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectTo(url);
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
