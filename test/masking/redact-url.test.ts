import { describe, expect, it } from "vitest";
import { redactUrl } from "../../audit/masking/redact-url.ts";

describe("redactUrl", () => {
  it.each([
    ["postgres://u:hunter2@db:5432/shop", "postgres://u:***@db:5432/shop"],
    ["postgres://u@db/shop?password=hunter2", "postgres://u@db/shop?password=***"],
    [
      "postgres://u@db/shop?sslmode=require&sslpassword=hunter2",
      "postgres://u@db/shop?sslmode=require&sslpassword=***",
    ],
    ["postgres://u@db/shop?sslmode=require", "postgres://u@db/shop?sslmode=require"],
  ])("%s -> %s", (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
    expect(redactUrl(url)).not.toContain("hunter2");
  });

  it("never echoes a string it cannot parse", () => {
    expect(redactUrl("host=db password=hunter2")).toBe("(unparseable URL)");
  });
});
