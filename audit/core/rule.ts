// The one rule convention, ESLint's: a rule file exports `{ meta, check(context) => Finding[] }`,
// meta holds everything a finding takes from the rule (id, severity, message templates), and every
// finding a rule reports is built by `report()`, so no rule spells its own id or severity again.
//
// Levels from the config (`rules: { schema/extra: warning, data/volume: off }`) are applied in ONE
// place, after the checks ran: the runner's verdict passes every finding through the config's
// levels (audit/drift/runner/rule-levels.ts). Rules never see the config, so they stay pure.
import { type Finding, makeFinding, type Severity } from "./finding.ts";

export interface RuleMeta<MessageId extends string = string> {
  /** `domain/name`; the rule file's path under audit/drift/rules/ is `<id>.ts`. */
  id: string;
  /** One sentence saying what the rule reports (`parity rules`). */
  description: string;
  defaultSeverity: Severity;
  /** messageId → template; `{{name}}` is replaced by the report's `data.name`. */
  messages: Readonly<Record<MessageId, string>>;
  /**
   * The few messages that weigh other than the rule's default (data/volume's "no estimate" is only
   * info). A severity the config sets for the rule still wins over these.
   */
  messageSeverities?: Readonly<Partial<Record<MessageId, Severity>>>;
}

export interface Rule<Context, MessageId extends string = string> {
  readonly meta: RuleMeta<MessageId>;
  check(context: Context): Finding[];
}

export type MessageData = Readonly<Record<string, string | number | bigint | boolean>>;

export interface ReportDescriptor<MessageId extends string = string> {
  messageId: MessageId;
  data?: MessageData;
  environment: string;
  objectType: string;
  object: string;
  expected?: unknown;
  actual?: unknown;
  diff?: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * ESLint's interpolation: one pass, so a value that itself contains `{{x}}` (an object name, a
 * config value) is printed as it is. A placeholder without data is left visible rather than blank.
 */
export function interpolate(template: string, data: MessageData = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(data, name) ? String(data[name]) : whole,
  );
}

/** The finding a rule reports: ruleId, severity and message come from the rule's meta. */
export function report<MessageId extends string>(
  meta: RuleMeta<MessageId>,
  descriptor: ReportDescriptor<NoInfer<MessageId>>,
): Finding {
  const template = meta.messages[descriptor.messageId];
  if (template === undefined) {
    throw new Error(
      `${meta.id}: no message "${descriptor.messageId}" in its meta.messages (a bug in the rule)`,
    );
  }
  const { messageId, data, ...where } = descriptor;
  return makeFinding({
    ruleId: meta.id,
    severity: meta.messageSeverities?.[messageId] ?? meta.defaultSeverity,
    message: interpolate(template, data),
    ...where,
  });
}
