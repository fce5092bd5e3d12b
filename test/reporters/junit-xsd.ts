// The checks junit-10.xsd (jenkinsci/xunit-plugin, the schema Jenkins and most JUnit report
// actions validate with) makes, written out so tests run them without an XSD engine: which
// elements may appear where, which attributes each may carry, which are required, and their types.
import { XMLParser } from "fast-xml-parser";

interface ElementRule {
  children: readonly string[];
  attributes: Record<string, "string" | "int" | "decimal" | "dateTime">;
  required: readonly string[];
}

const JUNIT_10: Record<string, ElementRule> = {
  testsuites: {
    children: ["testsuite"],
    attributes: {
      name: "string",
      time: "decimal",
      tests: "int",
      failures: "int",
      disabled: "int",
      errors: "int",
    },
    required: [],
  },
  testsuite: {
    children: ["properties", "testcase", "system-out", "system-err"],
    attributes: {
      name: "string",
      tests: "int",
      failures: "int",
      errors: "int",
      time: "decimal",
      disabled: "int",
      skipped: "int",
      timestamp: "dateTime",
      hostname: "string",
      id: "string",
      package: "string",
    },
    required: ["name", "tests"],
  },
  properties: { children: ["property"], attributes: {}, required: [] },
  property: { children: [], attributes: { name: "string", value: "string" }, required: ["name", "value"] },
  testcase: {
    children: ["skipped", "error", "failure", "system-out", "system-err"],
    attributes: {
      name: "string",
      assertions: "string",
      time: "decimal",
      classname: "string",
      status: "string",
    },
    required: ["name"],
  },
  skipped: { children: [], attributes: { message: "string" }, required: [] },
  error: { children: [], attributes: { message: "string", type: "string" }, required: [] },
  failure: { children: [], attributes: { message: "string", type: "string" }, required: [] },
  "system-out": { children: [], attributes: {}, required: [] },
  "system-err": { children: [], attributes: {}, required: [] },
};

const TYPES = {
  string: /^[\s\S]*$/,
  int: /^\d+$/,
  decimal: /^-?\d+(\.\d+)?$/,
  // xs:dateTime without a zone is what Jenkins writes.
  dateTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/,
};

type Node = Record<string, unknown>;

/** Every way `xml` breaks junit-10.xsd; empty when it is valid. */
export function junit10Violations(xml: string): string[] {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", preserveOrder: true });
  const tree = parser.parse(xml) as Node[];
  const problems: string[] = [];
  const roots = tree.filter((node) => !("?xml" in node));
  if (roots.length !== 1 || !("testsuites" in (roots[0] as Node)))
    problems.push("the root element must be <testsuites>");
  const visit = (node: Node, path: string) => {
    const name = Object.keys(node).find((key) => key !== ":@" && key !== "#text");
    if (!name) return;
    const rule = JUNIT_10[name];
    if (!rule) {
      problems.push(`${path}: <${name}> is not a junit-10 element`);
      return;
    }
    const attributes = (node[":@"] ?? {}) as Record<string, string>;
    for (const [attribute, value] of Object.entries(attributes)) {
      const type = rule.attributes[attribute];
      if (!type) problems.push(`${path}/${name}: attribute ${attribute} is not allowed`);
      else if (!TYPES[type].test(value))
        problems.push(`${path}/${name}: ${attribute}="${value}" is not ${type}`);
    }
    for (const attribute of rule.required) {
      if (!(attribute in attributes)) problems.push(`${path}/${name}: attribute ${attribute} is required`);
    }
    for (const child of (node[name] as Node[]) ?? []) {
      const childName = Object.keys(child).find((key) => key !== ":@");
      if (childName === "#text") {
        if (rule.children.length > 0 && String(child["#text"]).trim() !== "")
          problems.push(`${path}/${name}: text is not allowed here`);
        continue;
      }
      if (childName && !rule.children.includes(childName))
        problems.push(`${path}/${name}: <${childName}> not allowed in <${name}>`);
      visit(child, `${path}/${name}`);
    }
  };
  for (const root of roots) visit(root, "");
  return problems;
}
