// Which server settings the engine audit compares. Always: planner settings (category "Query
// Tuning …") and the watch list below; plus any setting that is not at its built-in default on
// either side. Never: settings that differ per host by nature (ports, paths, pids, session state).

import { anyOf } from "../core/patterns.ts";
import type { SettingValue } from "./model.ts";

/** Behaviour-changing settings compared even when both sides are at their defaults. */
export const WATCHED_SETTINGS: readonly string[] = [
  "DateStyle",
  "IntervalStyle",
  "TimeZone",
  "bytea_output",
  "check_function_bodies",
  "default_text_search_config",
  "default_toast_compression",
  "default_transaction_isolation",
  "effective_cache_size",
  "extra_float_digits",
  "hash_mem_multiplier",
  "idle_in_transaction_session_timeout",
  "lc_messages",
  "lc_monetary",
  "lc_numeric",
  "lc_time",
  "lock_timeout",
  "maintenance_work_mem",
  "max_connections",
  "password_encryption",
  "row_security",
  "search_path",
  "session_preload_libraries",
  "shared_buffers",
  "shared_preload_libraries",
  "standard_conforming_strings",
  "statement_timeout",
  "work_mem",
  "xmlbinary",
  "xmloption",
];

/** Settings that always differ between hosts or describe the session, not the engine. */
export const NOISE_SETTINGS: ReadonlySet<string> = new Set([
  "application_name",
  "client_encoding",
  "cluster_name",
  "config_file",
  "data_directory",
  "data_directory_mode",
  "default_transaction_read_only",
  "external_pid_file",
  "hba_file",
  "ident_file",
  "in_hot_standby",
  "is_superuser",
  "krb_server_keyfile",
  "lc_collate",
  "lc_ctype",
  "listen_addresses",
  "log_directory",
  "log_filename",
  "port",
  "role",
  "server_encoding",
  "server_version",
  "server_version_num",
  "session_authorization",
  "shared_memory_size",
  "shared_memory_size_in_huge_pages",
  "ssl_ca_file",
  "ssl_cert_file",
  "ssl_crl_dir",
  "ssl_crl_file",
  "ssl_dh_params_file",
  "ssl_key_file",
  "ssl_library",
  "stats_temp_directory",
  "transaction_deferrable",
  "transaction_isolation",
  "transaction_read_only",
  "unix_socket_directories",
  "unix_socket_group",
  "unix_socket_permissions",
]);

/** Compile-time (`internal`) settings worth comparing; the rest are derived or host facts. */
const INTERNAL_KEPT = new Set(["block_size", "data_checksums", "integer_datetimes", "wal_segment_size"]);

export interface SettingRow {
  name: string;
  value: string;
  unit: string | null;
  boot_val: string | null;
  source: string;
  context: string;
  category: string;
}

export interface SettingsOptions {
  include?: readonly string[];
  exclude?: readonly string[];
}

export function selectSettings(rows: readonly SettingRow[], options: SettingsOptions = {}) {
  const include = anyOf(options.include, "settings.include");
  const exclude = anyOf(options.exclude, "settings.exclude");
  const watched = new Set(WATCHED_SETTINGS);
  const settings: Record<string, SettingValue> = {};
  for (const row of rows) {
    const included = include?.(row.name) ?? false;
    if (exclude?.(row.name)) continue;
    if (!included && (NOISE_SETTINGS.has(row.name) || row.source === "client" || row.source === "session"))
      continue;
    if (!included && row.context === "internal" && !INTERNAL_KEPT.has(row.name)) continue;
    settings[row.name] = {
      value: row.value,
      unit: row.unit,
      nonDefault: row.source !== "default" && row.source !== "override" && row.value !== row.boot_val,
      watched: included || watched.has(row.name) || row.category.startsWith("Query Tuning"),
    };
  }
  return settings;
}

/** The one query the settings come from (reset_val: what a new session gets). */
export const SETTINGS_QUERY = `
select name, reset_val as value, unit, boot_val, source, context, category from pg_settings`;
