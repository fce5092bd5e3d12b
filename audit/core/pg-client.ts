// Every PostgreSQL connection parity opens goes through newClient, which is where "no hang, ever"
// is kept, so no check has to remember it:
// - a connect timeout (a host that accepts TCP and never answers fails in seconds, not never);
// - a lock_timeout (a read queued behind an ACCESS EXCLUSIVE lock fails instead of waiting for the
//   statement timeout);
// - one cap on open connections shared by every environment of a run (60 targets must not take 122
//   of a server's 100 max_connections);
// - the abort signal of the read it was opened for: aborting destroys the socket, so whatever is in
//   flight rejects at once, whether or not the check looks at its signal.
// The settings and the signal travel in an AsyncLocalStorage scope (withConnectionScope and
// withConnectionSignal), so callers several layers up (the runner, a command) set them once.
//
// A connection the server drops (a restart, a failover, pg_terminate_backend) makes pg emit 'error'
// on the client; with no listener Node turns that into an uncaught exception that kills the whole
// audit. An idle client's next query fails, but only with "Client has encountered a connection error
// and is not queryable": the listener keeps the server's own reason for `failureOf`.
import { AsyncLocalStorage } from "node:async_hooks";
import { createConnection, type Socket } from "node:net";
import pg from "pg";

export interface ConnectionSettings {
  /** Give up on a connection (TCP, TLS and startup) that is not ready after this long. */
  connectTimeoutMs: number;
  /** `lock_timeout` of every session: a statement waits at most this long for a lock. */
  lockTimeoutMs: number;
  /** Open connections at most, across every environment of one run. */
  maxConnections: number;
}

export const DEFAULT_CONNECTION_SETTINGS: Readonly<ConnectionSettings> = {
  connectTimeoutMs: 10_000,
  lockTimeoutMs: 10_000,
  maxConnections: 8,
};

/**
 * Commands without a parity config (`parity mask`, `clone`) take the connect timeout from
 * PARITY_CONNECT_TIMEOUT (seconds), e.g. for a CI job that knows its network.
 */
function settingsFromEnvironment(): ConnectionSettings {
  const seconds = Number(process.env.PARITY_CONNECT_TIMEOUT);
  return {
    ...DEFAULT_CONNECTION_SETTINGS,
    ...(Number.isFinite(seconds) && seconds > 0 ? { connectTimeoutMs: seconds * 1000 } : {}),
  };
}

/** Counts open connections; a connect waits here for a free slot (or its abort). */
export class ConnectionSlots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly max: number) {}

  get open(): number {
    return this.used;
  }

  async acquire(signal: AbortSignal | undefined): Promise<() => void> {
    if (this.used >= this.max) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = this.waiting.indexOf(wake);
          if (index !== -1) this.waiting.splice(index, 1);
          reject(abortError(signal));
        };
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener("abort", onAbort, { once: true });
        this.waiting.push(wake);
      });
    } else {
      if (signal?.aborted) throw abortError(signal);
    }
    this.used += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= 1;
      this.waiting.shift()?.();
    };
  }
}

interface ConnectionScope {
  settings: ConnectionSettings;
  slots: ConnectionSlots;
  signal?: AbortSignal;
}

const scopes = new AsyncLocalStorage<ConnectionScope>();
let processScope: ConnectionScope | undefined;

function currentScope(): ConnectionScope {
  const scope = scopes.getStore();
  if (scope) return scope;
  // Outside any scope (mask, clone, tests): the environment's settings, read each time, and no cap:
  // the cap belongs to a run (withConnectionScope), and a caller holding a few connections while
  // opening another must never wait on one it holds itself.
  const settings = { ...settingsFromEnvironment(), maxConnections: Number.POSITIVE_INFINITY };
  processScope ??= { settings, slots: new ConnectionSlots(settings.maxConnections) };
  processScope.settings = settings;
  return processScope;
}

/** Runs `work` with these settings and a fresh connection cap shared by everything inside it. */
export function withConnectionScope<T>(settings: Partial<ConnectionSettings>, work: () => T): T {
  const merged = { ...currentScope().settings, ...settings };
  // A run always has a cap, the default one unless it names its own.
  if (!Number.isFinite(merged.maxConnections))
    merged.maxConnections = DEFAULT_CONNECTION_SETTINGS.maxConnections;
  return scopes.run({ settings: merged, slots: new ConnectionSlots(merged.maxConnections) }, work);
}

/** Connections opened inside `work` are destroyed when `signal` aborts. Same settings and cap. */
export function withConnectionSignal<T>(signal: AbortSignal, work: () => T): T {
  return scopes.run({ ...currentScope(), signal }, work);
}

/** The settings in force here (for the runner's and the tests' decisions). */
export function connectionSettings(): Readonly<ConnectionSettings> {
  return currentScope().settings;
}

const connectionErrors = new WeakMap<pg.Client, Error>();

export function newClient(config: pg.ClientConfig): pg.Client {
  const { settings, slots, signal } = currentScope();
  const client = new pg.Client({
    connectionTimeoutMillis: settings.connectTimeoutMs,
    lock_timeout: settings.lockTimeoutMs,
    // A peer that vanishes mid-query (a blackholed route) is noticed by the kernel, not never.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...config,
  });
  client.on("error", (error) => {
    if (!connectionErrors.has(client)) connectionErrors.set(client, error);
  });

  const connect = client.connect.bind(client) as () => Promise<pg.Client>;
  const where = describeTarget(client);
  client.connect = (async () => {
    const release = await slots.acquire(signal);
    const destroy = () => {
      const error = abortError(signal);
      if (!connectionErrors.has(client)) connectionErrors.set(client, error);
      // A closed socket alone leaves the backend running (or waiting on a lock) until it next
      // writes to the client: ask the server to cancel it first, as psql does on Ctrl-C.
      sendCancelRequest(client);
      socketOf(client)?.destroy(error);
    };
    client.once("end", () => {
      signal?.removeEventListener("abort", destroy);
      release();
    });
    signal?.addEventListener("abort", destroy, { once: true });
    try {
      return await connect();
    } catch (error) {
      signal?.removeEventListener("abort", destroy);
      release();
      if (signal?.aborted) throw abortError(signal);
      if (error instanceof Error && error.message === "timeout expired") {
        throw new Error(
          `no answer from ${where} within ${formatSeconds(settings.connectTimeoutMs)} (connect timeout); gave up`,
          { cause: error },
        );
      }
      throw error;
    }
  }) as typeof client.connect;
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

/**
 * The protocol's CancelRequest for the backend behind `client`, on a connection of its own (16 bytes:
 * length, the code 80877102, the backend's process ID and secret key), sent and forgotten: the
 * server answers nothing and closes it. Gives up after a second; never throws.
 */
export function sendCancelRequest(client: pg.Client): void {
  const { processID, secretKey, host, port } = client as unknown as {
    processID?: number | null;
    secretKey?: number | null;
    host?: string;
    port?: number;
  };
  if (typeof processID !== "number" || typeof secretKey !== "number" || !host) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = host.startsWith("/")
    ? createConnection({ path: `${host}/.s.PGSQL.${port ?? 5432}` })
    : createConnection({ host, port: port ?? 5432 });
  socket.setTimeout(1000, () => socket.destroy());
  socket.on("error", () => socket.destroy());
  socket.on("connect", () => socket.end(packet));
  socket.unref();
}

function socketOf(client: pg.Client): Socket | undefined {
  return (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
}

/** host:port only: a connection string may carry a password. */
function describeTarget(client: pg.Client): string {
  const { host, port } = client as unknown as { host?: string; port?: number };
  return host ? `${host}:${port ?? 5432}` : "the server";
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name !== "AbortError") return reason;
  return new Error("cancelled");
}
