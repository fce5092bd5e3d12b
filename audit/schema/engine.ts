// The server and database facts a read starts with: version, encoding, locale.
import type { EngineFacts } from "./model.ts";

export const ENGINE_QUERY = `
select current_setting('server_version_num')::int as version_num,
       current_setting('server_version') as version,
       pg_encoding_to_char(d.encoding) as encoding,
       to_jsonb(d) as database
from pg_database d where d.datname = current_database()`;

export interface EngineRow {
  version_num: number;
  version: string;
  encoding: string;
  database: Record<string, unknown>;
}

export function engineFacts(row: EngineRow | undefined): EngineFacts {
  if (!row) throw new Error("the server returned no row for the current database");
  const text = (name: string) => {
    const value = row.database[name];
    return typeof value === "string" ? value : null;
  };
  const provider = text("datlocprovider");
  return {
    versionNum: row.version_num,
    major: Math.floor(row.version_num / 10000),
    minor: row.version_num % 100,
    version: row.version,
    encoding: row.encoding,
    collate: text("datcollate") ?? "",
    ctype: text("datctype") ?? "",
    localeProvider: provider === "i" ? "icu" : provider === "b" ? "builtin" : "libc",
    iculocale: text("datlocale") ?? text("daticulocale"),
  };
}
