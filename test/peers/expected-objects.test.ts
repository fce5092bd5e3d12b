// The reader of migra's expected.sql used by the peer-corpus script.
import { describe, expect, it } from "vitest";
import { expectedObjects, isCovered } from "./expected-objects.ts";

const SQL = `
drop trigger if exists "emp_stamp" on "public"."emp";
alter table "public"."t2" drop constraint "t2_pkey";
select 1; -- drop index if exists "public"."circles_dropexclude_c_excl";
drop index if exists "public"."t2_pkey";
alter table "public"."orders" alter column status type "public"."shipping_status" using status::text::"public"."shipping_status";
alter type "public"."e" rename to "e__old_version_to_be_dropped";
CREATE UNIQUE INDEX c_pkey ON public.c USING btree (cc);
CREATE TRIGGER emp_stamp BEFORE UPDATE ON public.emp FOR EACH ROW EXECUTE FUNCTION emp_stamp();
CREATE OR REPLACE FUNCTION public.newfunc(i integer)
 RETURNS integer
AS $function$ begin drop table "public"."nope"; end; $function$;
grant update on table "public"."products" to "postgres";
create policy "account_managers"
on "public"."accounts"
as restrictive;
create extension if not exists "citext" with schema "public" version '1.5';
`;

describe("expectedObjects", () => {
  it("lists each object a migra script touches, once, ignoring bodies, comments and temporary names", () => {
    expect(expectedObjects(SQL).map((o) => `${o.kind} ${o.name}`)).toEqual([
      "extension citext",
      "policy public.accounts.account_managers",
      "index public.c_pkey",
      "type public.e",
      "trigger public.emp.emp_stamp",
      "function public.newfunc",
      "column public.orders.status",
      "privilege public.products",
      "index public.t2_pkey",
      "constraint public.t2.t2_pkey",
    ]);
  });
});

describe("isCovered", () => {
  const finding = (ruleId: string, objectType: string, object: string, contains?: string[]) => ({
    ruleId,
    location: { objectType, object },
    expected: contains ? { contains } : undefined,
  });

  it("needs the same object with a compatible type", () => {
    expect(
      isCovered({ kind: "view", name: "public.v" }, [
        finding("schema/missing", "materialized-view", "public.v"),
      ]),
    ).toBe(true);
    expect(
      isCovered({ kind: "view", name: "public.v" }, [finding("schema/missing", "table", "public.v")]),
    ).toBe(false);
    expect(
      isCovered({ kind: "function", name: "public.f" }, [
        finding("schema/changed", "function", "public.f(integer)"),
      ]),
    ).toBe(true);
    expect(
      isCovered({ kind: "function", name: "public.f" }, [
        finding("schema/changed", "function", "public.fg()"),
      ]),
    ).toBe(false);
  });

  it("accepts an object listed in the contents of a missing relation, and nothing looser", () => {
    const missing = finding("schema/missing", "table", "public.t", [
      "index public.t_pkey",
      "column public.t.a",
    ]);
    expect(isCovered({ kind: "index", name: "public.t_pkey" }, [missing])).toBe(true);
    expect(isCovered({ kind: "column", name: "public.t.b" }, [missing])).toBe(false);
    const changed = finding("schema/changed", "table", "public.t", ["index public.t_pkey"]);
    expect(isCovered({ kind: "index", name: "public.t_pkey" }, [changed])).toBe(false);
  });
});
