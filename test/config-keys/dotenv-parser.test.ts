import { describe, expect, it } from "vitest";
import { ParityInputError } from "../../audit/core/errors.ts";
import { parseDotenv } from "../../audit/drift/checks/config-keys/index.ts";

const FILE = "env/staging.env";

describe("parseDotenv: valid input", () => {
  it.each([
    ["plain", "A=1", { A: "1" }],
    ["blank lines and comments", "\n# comment\n  # indented comment\nA=1\n\n", { A: "1" }],
    ["export prefix", "export A=1\nexport  B = two", { A: "1", B: "two" }],
    ["spaces around =", "A =  spaced value  ", { A: "spaced value" }],
    ["empty value", "A=\nB=''\nC=\"\"", { A: "", B: "", C: "" }],
    ["inline comment after whitespace", "A=value # note", { A: "value" }],
    ["# without whitespace stays in value", "A=abc#def", { A: "abc#def" }],
    ["only a comment after =", "A= # note\nB=#", { A: "", B: "" }],
    [
      "= inside value",
      "URL=postgres://u:p@h/db?sslmode=require",
      { URL: "postgres://u:p@h/db?sslmode=require" },
    ],
    ["double quotes keep # and spaces", 'A="  x # not a comment "', { A: "  x # not a comment " }],
    ["double-quote escapes", 'A="line1\\nline2\\t\\"q\\" \\\\"', { A: 'line1\nline2\t"q" \\' }],
    ["single quotes are literal", "A='raw \\n $HOME'", { A: "raw \\n $HOME" }],
    ["backticks", 'A=`it\'s "both"`', { A: 'it\'s "both"' }],
    ["comment after closing quote", 'A="x" # note', { A: "x" }],
    [
      "multiline double-quoted",
      'KEY="-----BEGIN-----\nabc\n-----END-----"\nB=2',
      { KEY: "-----BEGIN-----\nabc\n-----END-----", B: "2" },
    ],
    ["multiline single-quoted", "A='one\ntwo'", { A: "one\ntwo" }],
    ["later assignment wins", "A=1\nA=2", { A: "2" }],
    ["CRLF line endings", "A=1\r\nB=2\r\n", { A: "1", B: "2" }],
    ["BOM", "\uFEFFA=1", { A: "1" }],
    ["dots and dashes in keys", "app.name=shop\nfeature-x=on", { "app.name": "shop", "feature-x": "on" }],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${VAR} is the input under test
    ["no variable expansion", "A=${B}/x", { A: "${B}/x" }],
  ])("%s", (_name, text, expected) => {
    const entries = parseDotenv(text, FILE);
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual(expected);
  });

  it("records the line of each key, also after a multiline value", () => {
    const entries = parseDotenv('# head\nA="x\ny"\nB=2', FILE);
    expect(entries.map((e) => [e.key, e.line])).toEqual([
      ["A", 2],
      ["B", 4],
    ]);
  });
});

describe("parseDotenv: malformed input names file, line and column", () => {
  it.each([
    [
      "an indented export with a bad key points at the key",
      "A=1\n  export  KEY-BAD!=1",
      [`${FILE}:2:11: invalid key: use letters, digits, _ . - and don't start with a digit`],
    ],
    [
      "an indented line without =",
      "\t  JUSTAWORD",
      [`${FILE}:1:4: expected KEY=VALUE (no "=" on this line)`],
    ],
    [
      "an unterminated quote after spaces points at the quote",
      "B =   'never",
      [`${FILE}:1:7: B: unterminated single-quoted value (opened here)`],
    ],
    ["line without =", "A=1\nJUSTAWORD", [`${FILE}:2:1: expected KEY=VALUE (no "=" on this line)`]],
    [
      "key starting with a digit",
      "1A=x",
      [`${FILE}:1:1: invalid key "1A": use letters, digits, _ . - and don't start with a digit`],
    ],
    [
      "empty key",
      "=x",
      [`${FILE}:1:1: invalid key (empty): use letters, digits, _ . - and don't start with a digit`],
    ],
    [
      "unterminated double quote",
      'A=1\nB="never closed\nC=3',
      [`${FILE}:2:3: B: unterminated double-quoted value (opened here)`],
    ],
    ["unterminated single quote", "A='x", [`${FILE}:1:3: A: unterminated single-quoted value (opened here)`]],
    ["text after closing quote", 'A="x" y', [`${FILE}:1:7: A: unexpected text after the closing quote`]],
    [
      "text after a multiline closing quote names the closing line",
      'A="x\ny" z',
      [`${FILE}:2:4: A: unexpected text after the closing quote`],
    ],
    [
      "every problem at once",
      "NOEQUALS\n2X=1\nOK=1\nexport",
      [
        `${FILE}:1:1: expected KEY=VALUE (no "=" on this line)`,
        `${FILE}:2:1: invalid key "2X": use letters, digits, _ . - and don't start with a digit`,
        `${FILE}:4:1: expected KEY=VALUE (no "=" on this line)`,
      ],
    ],
  ])("%s", (_name, text, problems) => {
    let error: unknown;
    try {
      parseDotenv(text, FILE);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParityInputError);
    expect((error as ParityInputError).problems).toEqual(problems);
    expect((error as ParityInputError).exitCode).toBe(2);
  });

  it("never quotes a stray line, which may be a piece of a secret", () => {
    const secretLine = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
    const message = (() => {
      try {
        parseDotenv(`KEY=-----BEGIN PRIVATE KEY-----\n${secretLine}\n`, FILE);
      } catch (error) {
        return (error as Error).message;
      }
      return "did not throw";
    })();
    expect(message).toContain(`${FILE}:2:1: expected KEY=VALUE`);
    expect(message).not.toContain(secretLine.slice(0, 12));
  });
});
