import { describe, expect, it } from "vitest";
import { passwordToEnvironment } from "../../audit/masking/password-env.ts";

describe("passwordToEnvironment (pg_dump/psql never get a password on their command line)", () => {
  it.each([
    ["postgres://u:hunter2@db:5432/shop", "postgres://u@db:5432/shop", "hunter2"],
    ["postgres://u:p%40ss%2Fw@db/shop", "postgres://u@db/shop", "p@ss/w"],
    [
      "postgres://u@db/shop?sslmode=require&password=hunter2",
      "postgres://u@db/shop?sslmode=require",
      "hunter2",
    ],
  ])("%s", (url, dbname, password) => {
    expect(passwordToEnvironment(url)).toEqual({ dbname, env: { PGPASSWORD: password } });
  });

  it("leaves a URL without a password alone and sets no PGPASSWORD", () => {
    expect(passwordToEnvironment("postgres://u@db/shop")).toEqual({
      dbname: "postgres://u@db/shop",
      env: {},
    });
  });
});
