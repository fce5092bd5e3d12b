// Reads the keys of a Pulumi stack config file (`stacks/Pulumi.<stack>.yaml`) without the Pulumi CLI
// and without decrypting anything: `secure:` values become SecureString keys with no value. Structured
// (object) values are flattened to `key.child` / `key[0].child` so a nested key missing from one stack
// is reported by name; arrays of plain values become StringList keys, like SSM's.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar } from "yaml";
import { ParityInputError } from "../../../../core/errors.ts";
import type { ConfigKey } from "../types.ts";

export interface PulumiParseOptions {
  /** The project whose namespace (`<project>:key`) is stripped; other namespaces (`aws:region`) stay. */
  project?: string;
}

export function parsePulumiStackConfig(
  text: string,
  file: string,
  options: PulumiParseOptions = {},
): ConfigKey[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (node: Node | null | undefined): string => {
    const offset = node?.range?.[0];
    if (offset === undefined) return file;
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    throw new ParityInputError(
      `Malformed Pulumi stack config ${file}`,
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return `${file}:${line}:${col}: ${error.message.split("\n")[0]}`;
      }),
    );
  }

  const root = document.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) return [];
  if (!isMap(root))
    throw new ParityInputError(`Malformed Pulumi stack config ${file}`, [
      `${at(root)}: expected a mapping at the top level`,
    ]);
  const configPair = root.items.find((pair) => isScalar(pair.key) && pair.key.value === "config");
  if (configPair === undefined || configPair.value === null || isScalarNull(configPair.value)) return [];
  const config = configPair.value as Node;
  if (!isMap(config)) {
    throw new ParityInputError(`Malformed Pulumi stack config ${file}`, [
      `${at(config)}: "config" must be a mapping of keys to values`,
    ]);
  }

  const keys: ConfigKey[] = [];
  const problems: string[] = [];
  for (const pair of config.items) {
    const keyNode = pair.key as Node | null;
    const rawName = isScalar(keyNode) ? String(keyNode.value) : undefined;
    const parts = rawName?.split(":") ?? [];
    if (rawName === undefined || parts.length > 2 || parts.some((part) => part.trim() === "")) {
      problems.push(`${at(keyNode)}: config key must be "<namespace>:<name>" or "<name>"`);
      continue;
    }
    const [namespace, name] =
      parts.length === 2 ? (parts as [string, string]) : [undefined, parts[0] as string];
    const key = namespace === undefined || namespace === options.project ? name : rawName;
    flatten(pair.value as Node | null, rawName, key, keys, problems, at);
  }
  if (problems.length > 0) throw new ParityInputError(`Malformed Pulumi stack config ${file}`, problems);
  return keys;
}

/** Config values are text: keep numbers as written (`1.50`, `0x1F`), not as JavaScript prints them. */
function scalarText(node: Scalar | null): string {
  if (node === null || node.value === null) return "";
  return typeof node.value === "string" ? node.value : (node.source ?? String(node.value));
}

function isScalarNull(node: unknown): boolean {
  return isScalar(node) && node.value === null;
}

function flatten(
  node: Node | null,
  name: string,
  key: string,
  out: ConfigKey[],
  problems: string[],
  at: (node: Node | null | undefined) => string,
): void {
  if (node === null || isScalar(node)) {
    const value = scalarText(node);
    out.push({ key, name, type: "String", value });
    return;
  }
  if (isMap(node)) {
    const secure = node.items.find((pair) => isScalar(pair.key) && pair.key.value === "secure");
    if (secure !== undefined) {
      if (node.items.length !== 1 || !isScalar(secure.value) || typeof secure.value.value !== "string") {
        problems.push(`${at(node)}: ${name}: a secure value must be exactly { secure: <ciphertext> }`);
        return;
      }
      out.push({ key, name, type: "SecureString" });
      return;
    }
    for (const pair of node.items) {
      const child = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (child === undefined) {
        problems.push(`${at(pair.key as Node)}: ${name}: object keys must be plain strings`);
        continue;
      }
      flatten(pair.value as Node | null, `${name}.${child}`, `${key}.${child}`, out, problems, at);
    }
    return;
  }
  if (isSeq(node)) {
    const items = node.items as Array<Node | null>;
    if (items.every((item) => item === null || isScalar(item))) {
      const values = items.map((item) => scalarText(item as Scalar | null));
      out.push({ key, name, type: "StringList", value: values.join(",") });
      return;
    }
    items.forEach((item, i) => {
      flatten(item, `${name}[${i}]`, `${key}[${i}]`, out, problems, at);
    });
    return;
  }
  problems.push(`${at(node)}: ${name}: unsupported value (aliases and tags are not config values)`);
}
