// The rows each catalog query in queries.ts returns, as pg hands them over.

export interface CatalogRows {
  schemas: { oid: number; schema: string; comment: string | null }[];
  relations: {
    schema: string;
    name: string;
    kind: string;
    persistence: string;
    is_partition: boolean;
    partition_bound: string | null;
    partition_key: string | null;
    view_definition: string | null;
    options: string[] | null;
    rls_enabled: boolean;
    rls_forced: boolean;
    parents: string[] | null;
    comment: string | null;
  }[];
  columns: {
    schema: string;
    relation: string;
    kind: string;
    name: string;
    type: string;
    collation: string | null;
    user_collation: boolean | null;
    not_null: boolean;
    default_expr: string | null;
    identity: string;
    generated: string;
    inherited: boolean;
    base_type_schema: string;
    base_type_name: string;
    base_type_kind: string;
    comment: string | null;
  }[];
  indexes: {
    schema: string;
    name: string;
    table_schema: string;
    table_name: string;
    table_kind: string;
    definition: string | null;
    constraint_name: string | null;
    valid: boolean;
    comment: string | null;
  }[];
  constraints: {
    schema: string;
    relation: string;
    kind: string;
    name: string;
    type: string;
    definition: string;
    deferrable: boolean;
    deferred: boolean;
    validated: boolean;
    comment: string | null;
  }[];
  sequences: {
    schema: string;
    name: string;
    type: string;
    start: string;
    increment: string;
    min: string;
    max: string;
    cache: string;
    cycle: boolean;
    owner_kind: string | null;
    owner: string | null;
    comment: string | null;
  }[];
  functions: {
    oid: number;
    schema: string;
    name: string;
    argument_types: string;
    arguments: string;
    kind: string;
    result: string | null;
    language: string;
    volatility: string;
    strict: boolean;
    security_definer: boolean;
    leakproof: boolean;
    parallel: string;
    config: string[] | null;
    definition: string;
    comment: string | null;
  }[];
  triggers: {
    schema: string;
    relation: string;
    kind: string;
    name: string;
    definition: string;
    enabled: string;
    comment: string | null;
  }[];
  types: {
    oid: number;
    array_type: number;
    schema: string;
    name: string;
    kind: string;
    labels: string[] | null;
    base_type: string | null;
    not_null: boolean;
    default_expr: string | null;
    checks: string[] | null;
    comment: string | null;
  }[];
  extensions: { oid: number; name: string; version: string; schema: string }[];
  collations: {
    oid: number;
    schema: string;
    name: string;
    provider: string;
    deterministic: boolean;
    locale: string | null;
    collate: string | null;
    ctype: string | null;
    comment: string | null;
  }[];
  policies: {
    schema: string;
    relation: string;
    name: string;
    command: string;
    permissive: boolean;
    roles: string[];
    using_expr: string | null;
    check_expr: string | null;
  }[];
  privileges: {
    on_kind: string;
    relkind: string | null;
    name: string;
    owner: string;
    acl: string[];
    default_acl: string[];
    initial: boolean;
  }[];
  viewDependencies: {
    view_name: string;
    view_kind: string;
    ref_catalog: string;
    ref_name: string;
    ref_kind: string | null;
    ref_type_kind: string | null;
    ref_proc_kind: string | null;
    ref_column: string | null;
  }[];
}
