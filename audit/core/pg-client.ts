// Every PostgreSQL connection parity opens. A connection the server drops (a restart, a failover,
// pg_terminate_backend) makes pg emit 'error' on the client; with no listener Node turns that into
// an uncaught exception that kills the whole audit. The query in flight is rejected either way. An
// idle client's next query fails too, but only with "Client has encountered a connection error and
// is not queryable": the listener keeps the server's own reason for `failureOf`.
import pg from "pg";

const connectionErrors = new WeakMap<pg.Client, Error>();

export function newClient(config: pg.ClientConfig): pg.Client {
  const client = new pg.Client(config);
  client.on("error", (error) => {
    if (!connectionErrors.has(client)) connectionErrors.set(client, error);
  });
  return client;
}

/** Why a query on `client` failed: the server's reason when the connection was lost, else `error`. */
export function failureOf(client: pg.Client, error: unknown): Error {
  return connectionErrors.get(client) ?? (error instanceof Error ? error : new Error(String(error)));
}

/** Runs `work` on a fresh connection to `url`, closing it afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = newClient({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
