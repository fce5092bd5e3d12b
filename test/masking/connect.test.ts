import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { connectTo } from "../../audit/masking/connect.ts";

describe("connectTo", () => {
  it.each(["host=db password=hunter2", "db.internal:5432/shop", "mysql://u:hunter2@db/shop"])(
    "rejects %s as not a postgres URL, without echoing it",
    async (url) => {
      const error = await connectTo(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParityInputError);
      expect((error as Error).message).toContain("not a postgres:// or postgresql:// connection URL");
      expect((error as Error).message).not.toContain("hunter2");
    },
  );

  it("names the unreachable server with its password hidden", async () => {
    const error = await connectTo("postgres://u:hunter2@127.0.0.1:1/shop").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as Error).message).toContain("cannot connect to postgres://u:***@127.0.0.1:1/shop");
  });
});
