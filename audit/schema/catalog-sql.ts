// SQL fragments every catalog query shares: which schemas are the user's, and which objects an
// extension owns (the extension and its version stand for those).

export const USER_SCHEMA = (alias: string) =>
  `${alias}.nspname not in ('pg_catalog', 'information_schema') and ${alias}.nspname !~ '^pg_(toast|temp_)'`;

// `not in` over a small subquery becomes one hashed lookup per row, not an index probe per row.
// An extension member's dependency always points at its extension: filtering on refclassid
// lets the subquery read pg_depend's reference index instead of scanning all of pg_depend
// (70,000 rows at 2,000 tables, ~5 ms each time, in 14 places).
export const NOT_EXTENSION_MEMBER = (catalog: string, oid: string) =>
  `${oid} not in (select e.objid from pg_depend e where e.refclassid = 'pg_extension'::regclass
                    and e.classid = '${catalog}'::regclass and e.deptype = 'e')`;
