// "Production markers": things in the baseline's readable values that identify production —
// database endpoints, hostnames, ARNs and AWS account ids. A target value that contains one points at
// production. Pure functions over snapshots; they never return values, only the markers themselves
// (hostnames, ARNs, account ids), which is what findings may print.
import type { ConfigKey, ConfigSnapshot } from "./types.ts";

export type MarkerKind = "database-endpoint" | "hostname" | "arn" | "account-id";

export interface ProductionMarker {
  kind: MarkerKind;
  marker: string;
  /** The first baseline key whose value contains it (for the message). */
  fromKey: string;
}

export interface ValueReferences {
  hosts: Set<string>;
  arns: Set<string>;
  accounts: Set<string>;
}

const ARN = /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^\s"'`,;()<>[\]{}]+/g;
const URL_HOST = /\b[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@]*@)?([A-Za-z0-9.-]+)/g;
/** Lower-case only, ending in an alphabetic TLD: a plain token, never a base64 secret's fragment. */
const HOSTNAME = /(?<![A-Za-z0-9.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63})(?![A-Za-z0-9.-])/g;
const WHOLE_HOSTNAME = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/;
const DATABASE_SCHEMES =
  /^(postgres|postgresql|mysql|mariadb|redis|rediss|mongodb|mongodb\+srv|jdbc:postgresql|jdbc:mysql):/i;
/** AWS-generated endpoints embed account-unique ids: they identify one environment by construction. */
const DATABASE_HOST = /\.(rds|cache|docdb|redshift|neptune)\.[a-z0-9.-]*amazonaws\.com$/;

/** Hosts, ARNs and account ids referenced in one value. */
export function referencesIn(value: string): ValueReferences {
  const refs: ValueReferences = { hosts: new Set(), arns: new Set(), accounts: new Set() };
  for (const match of value.matchAll(ARN)) {
    refs.arns.add(match[0]);
    if (match[1] !== undefined) refs.accounts.add(match[1]);
  }
  const withoutArns = value.replace(ARN, " ");
  for (const match of withoutArns.matchAll(URL_HOST)) {
    const host = (match[1] as string).toLowerCase().replace(/\.$/, "");
    if (!isLocalHost(host)) refs.hosts.add(host);
  }
  for (const match of withoutArns.matchAll(HOSTNAME)) {
    const host = match[1] as string;
    // A bare hostname counts when it is an AWS resource endpoint or the whole value (DB_HOST=…);
    // anything looser would turn file names and dotted identifiers into "hosts".
    if (DATABASE_HOST.test(host) || host.endsWith(".amazonaws.com") || WHOLE_HOSTNAME.test(value.trim())) {
      refs.hosts.add(host);
    }
  }
  return refs;
}

/**
 * The baseline's markers, minus the ones the target legitimately shares with it. A host or ARN the
 * target uses under the SAME key is a shared service (a payment provider's API, a common KMS key)
 * unless (a) its name says production (a `prod`, `production`, `prd` or baseline-name word), or (b)
 * the target has its own variant of the host's domain (`api.staging.shop.example.com` beside
 * production's `api.shop.example.com`), which shows the domain is per-environment. Database
 * endpoints are never shared. An account id is a marker unless the environments share the account:
 * some key holds an ARN in that account in both, naming different resources.
 */
export function productionMarkers(baseline: ConfigSnapshot, target: ConfigSnapshot): ProductionMarker[] {
  const targetRefs = new Map<string, ValueReferences>();
  for (const key of readable(target.keys)) targetRefs.set(key.key, referencesIn(key.value));
  const targetHosts = new Set([...targetRefs.values()].flatMap((refs) => [...refs.hosts]));
  const baselineRefs = readable(baseline.keys).map((key) => ({ key, refs: referencesIn(key.value) }));

  const sharedAccounts = new Set<string>();
  for (const { key, refs } of baselineRefs) {
    const theirs = targetRefs.get(key.key)?.arns ?? new Set<string>();
    for (const arn of refs.arns) {
      for (const other of theirs) {
        const account = arnAccount(arn);
        if (other !== arn && account !== undefined && arnAccount(other) === account)
          sharedAccounts.add(account);
      }
    }
  }

  const productionWords = new Set(["prod", "production", "prd", baseline.environment.toLowerCase()]);
  const nonProductionWords = new Set([
    "staging",
    "stage",
    "stg",
    "preview",
    "dev",
    "test",
    "qa",
    target.environment.toLowerCase(),
  ]);
  const looksProduction = (text: string) =>
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .some((word) => productionWords.has(word));
  const hasTargetVariant = (host: string) => {
    const labels = host.split(".");
    for (let i = 1; i <= labels.length - 2; i++) {
      const domain = labels.slice(i).join(".");
      for (const candidate of targetHosts) {
        if (candidate !== host && candidate.endsWith(`.${domain}`)) {
          const prefix = candidate.slice(0, -domain.length - 1).split(".");
          if (prefix.some((label) => nonProductionWords.has(label))) return true;
        }
      }
    }
    return false;
  };

  const markers = new Map<string, ProductionMarker>();
  const add = (kind: MarkerKind, marker: string, fromKey: string) => {
    const id = `${kind}\u0000${marker}`;
    if (!markers.has(id)) markers.set(id, { kind, marker, fromKey });
  };

  for (const { key, refs } of baselineRefs) {
    const sameKeyInTarget = targetRefs.get(key.key);
    for (const host of refs.hosts) {
      if (DATABASE_HOST.test(host) || DATABASE_SCHEMES.test(key.value.trim())) {
        add("database-endpoint", host, key.key);
      } else if (!sameKeyInTarget?.hosts.has(host) || looksProduction(host) || hasTargetVariant(host)) {
        add("hostname", host, key.key);
      }
    }
    for (const arn of refs.arns) {
      // A shared ARN's account is shared too (a common KMS key in a third account).
      if (sameKeyInTarget?.arns.has(arn) && !looksProduction(arn)) continue;
      add("arn", arn, key.key);
      const account = arnAccount(arn);
      if (account !== undefined && !sharedAccounts.has(account)) add("account-id", account, key.key);
    }
  }
  return [...markers.values()];
}

/** The markers a target value contains. */
export function markersIn(value: string, markers: readonly ProductionMarker[]): ProductionMarker[] {
  const refs = referencesIn(value);
  return markers.filter((m) => {
    switch (m.kind) {
      case "database-endpoint":
      case "hostname":
        return refs.hosts.has(m.marker);
      case "arn":
        return refs.arns.has(m.marker);
      case "account-id":
        return refs.accounts.has(m.marker);
    }
    return false;
  });
}

/** localhost, loopback and dotless names (docker services) identify no environment. */
function isLocalHost(host: string): boolean {
  return !host.includes(".") || host.startsWith("127.") || host === "0.0.0.0" || host.endsWith(".localhost");
}

function arnAccount(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

function readable(keys: readonly ConfigKey[]): Array<ConfigKey & { value: string }> {
  return keys.filter(
    (key): key is ConfigKey & { value: string } => key.type !== "SecureString" && key.value !== undefined,
  );
}
