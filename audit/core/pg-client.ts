// Every PostgreSQL connection parity opens. A connection the server drops (a restart, a failover,
// pg_terminate_backend) makes pg emit 'error' on the client; with no listener Node turns that into
// an uncaught exception that kills the whole audit. The query in flight is rejected either way, and
// an idle client's next query fails, so the listener only has to keep the process alive.
import pg from "pg";

export function newClient(config: pg.ClientConfig): pg.Client {
  const client = new pg.Client(config);
  client.on("error", () => {});
  return client;
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
