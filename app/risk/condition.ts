// The risk rules' condition language: a small, typed, side-effect-free expression over the features of
// app/risk/features.ts. Parsed by hand (never eval), printed back canonically, type-checked against the feature
// catalogue, and refused when it would match every event or none. See docs/decisions/025-risk-condition-language.md.
//
//   condition := or
//   or        := and ("or" and)*
//   and       := not ("and" not)*
//   not       := "not" not | atom
//   atom      := "(" condition ")" | feature op literal | feature "in" "[" literal ("," literal)* "]" | bool-feature
//   op        := == | != | < | <= | > | >=
//   literal   := number (digits, optional fraction, optional leading -, "_" between digits) | "text" | true | false
import enRisk from "~/i18n/locales/en/risk";
import {
  conditionMessage,
  type ConditionProblem,
  type ConditionProblemValues,
  type FoundKind,
} from "~/risk/condition-message";
import {
  featureAppliesTo,
  FEATURES,
  isFeatureName,
  type EventKind,
  type FeatureName,
  type FeatureType,
  type FeatureValue,
} from "~/risk/features";

export const MAX_CONDITION_LENGTH = 2000;
const MAX_DEPTH = 40;
/** Number literals are whole yen, counts, minutes…: keep them where printing and parsing are exact. */
const MAX_ABS_NUMBER = 1e15;

export type Literal =
  { type: "number"; value: number } | { type: "string"; value: string } | { type: "bool"; value: boolean };
export const COMPARISONS = ["==", "!=", "<", "<=", ">", ">="] as const;
export type Comparison = (typeof COMPARISONS)[number];

export type Condition =
  | { kind: "or"; left: Condition; right: Condition }
  | { kind: "and"; left: Condition; right: Condition }
  | { kind: "not"; operand: Condition }
  | { kind: "compare"; feature: string; op: Comparison; value: Literal }
  | { kind: "in"; feature: string; values: Literal[] }
  | { kind: "flag"; feature: string };

// The English sentences, read from the risk namespace so that they are written once.
function inEnglish(key: string, values: Record<string, string | number> = {}): string {
  const template = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], enRisk);
  return String(template).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ""));
}

export class ConditionError extends Error {
  constructor(
    /** What is wrong, as data: the rules page words it in the lead's language (app/risk/condition-message.ts). */
    readonly problem: ConditionProblem,
    readonly values: ConditionProblemValues = {},
    /** 1-based column of the offending text, when there is one. */
    readonly column: number | null = null,
  ) {
    super(conditionMessage(inEnglish, problem, values, column));
    this.name = "ConditionError";
  }
}

// ───────────────────────────── Lexer ─────────────────────────────

type Token =
  | { kind: "ident"; text: string; at: number }
  | { kind: "number"; value: number; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "op"; text: Comparison; at: number }
  | { kind: "punct"; text: "(" | ")" | "[" | "]" | ","; at: number }
  | { kind: "end"; at: number };

const NUMBER = /^-?\d(?:_?\d)*(?:\.\d(?:_?\d)*)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const STRING = /^"(?:[^"\\\n\r]|\\.)*"/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const op = (["==", "!=", "<=", ">=", "<", ">"] as const).find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: "op", text: op, at: i });
      i += op.length;
      continue;
    }
    if (ch === "=") throw new ConditionError("singleEquals", {}, i + 1);
    if ("()[],".includes(ch)) {
      tokens.push({ kind: "punct", text: ch as "(" | ")" | "[" | "]" | ",", at: i });
      i += 1;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      const value = Number(number[0].replaceAll("_", "")) + 0; // + 0 turns -0 into 0
      if (!Number.isFinite(value) || Math.abs(value) > MAX_ABS_NUMBER) {
        throw new ConditionError("numberTooLarge", { number: number[0] }, i + 1);
      }
      tokens.push({ kind: "number", value, at: i });
      i += number[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ kind: "ident", text: ident[0], at: i });
      i += ident[0].length;
      continue;
    }
    if (ch === '"') {
      const string = STRING.exec(rest);
      if (!string) throw new ConditionError("unclosedText", {}, i + 1);
      let value: string;
      try {
        value = JSON.parse(string[0]) as string;
      } catch {
        throw new ConditionError("badEscape", {}, i + 1);
      }
      tokens.push({ kind: "string", value, at: i });
      i += string[0].length;
      continue;
    }
    throw new ConditionError("unexpectedCharacter", { character: ch }, i + 1);
  }
  tokens.push({ kind: "end", at: text.length });
  return tokens;
}

// ───────────────────────────── Parser ─────────────────────────────

const KEYWORDS = new Set(["and", "or", "not", "in", "true", "false"]);

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === "ident" && t.text.toLowerCase() === word;
  }
  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.text === p;
  }
  private fail(problem: ConditionProblem, found: Token, at = this.peek()): never {
    throw new ConditionError(problem, describe(found), at.at + 1);
  }

  parse(): Condition {
    if (this.peek().kind === "end") throw new ConditionError("empty");
    const condition = this.or();
    const rest = this.peek();
    if (rest.kind !== "end") this.fail("expectedEnd", rest);
    return condition;
  }

  private or(): Condition {
    let left = this.and();
    while (this.isKeyword("or")) {
      this.next();
      left = { kind: "or", left, right: this.and() };
    }
    return left;
  }

  private and(): Condition {
    let left = this.not();
    while (this.isKeyword("and")) {
      this.next();
      left = { kind: "and", left, right: this.not() };
    }
    return left;
  }

  private not(): Condition {
    if (this.isKeyword("not")) {
      this.next();
      return this.nested(() => ({ kind: "not", operand: this.not() }));
    }
    return this.atom();
  }

  private nested<T>(inner: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new ConditionError("tooDeep", {}, this.peek().at + 1);
    const result = inner();
    this.depth -= 1;
    return result;
  }

  private atom(): Condition {
    const token = this.peek();
    if (this.isPunct("(")) {
      this.next();
      const inner = this.nested(() => this.or());
      if (!this.isPunct(")")) this.fail("expectedClose", this.peek());
      this.next();
      return inner;
    }
    if (token.kind !== "ident" || KEYWORDS.has(token.text.toLowerCase())) {
      this.fail("expectedFeature", token);
    }
    this.next();
    const feature = token.text;
    const after = this.peek();
    if (after.kind === "op") {
      this.next();
      return { kind: "compare", feature, op: after.text, value: this.literal() };
    }
    if (this.isKeyword("in")) {
      this.next();
      if (!this.isPunct("[")) this.fail("expectedOpenBracket", this.peek());
      this.next();
      const values = [this.literal()];
      while (this.isPunct(",")) {
        this.next();
        values.push(this.literal());
      }
      if (!this.isPunct("]")) this.fail("expectedCommaOrBracket", this.peek());
      this.next();
      return { kind: "in", feature, values };
    }
    return { kind: "flag", feature };
  }

  private literal(): Literal {
    const token = this.next();
    if (token.kind === "number") return { type: "number", value: token.value };
    if (token.kind === "string") return { type: "string", value: token.value };
    if (token.kind === "ident" && (token.text.toLowerCase() === "true" || token.text.toLowerCase() === "false")) {
      return { type: "bool", value: token.text.toLowerCase() === "true" };
    }
    this.fail("expectedLiteral", token, token);
  }
}

function describe(token: Token): { foundKind: FoundKind; foundText: string } {
  switch (token.kind) {
    case "end":
      return { foundKind: "end", foundText: "" };
    case "number":
      return { foundKind: "number", foundText: String(token.value) };
    case "string":
      return { foundKind: "string", foundText: JSON.stringify(token.value) };
    default:
      return { foundKind: token.kind, foundText: token.text };
  }
}

export function parseCondition(text: string): Condition {
  if (text.length > MAX_CONDITION_LENGTH) {
    throw new ConditionError("tooLong", { max: MAX_CONDITION_LENGTH });
  }
  return new Parser(tokenize(text)).parse();
}

// ───────────────────────────── Printer ─────────────────────────────

const PRECEDENCE = { or: 1, and: 2, not: 3, compare: 4, in: 4, flag: 4 } as const;

function printLiteral(literal: Literal): string {
  if (literal.type === "string") return JSON.stringify(literal.value);
  return String(literal.value);
}

/** The canonical text of a condition: parsing it gives back the same tree. */
export function printCondition(condition: Condition, context = 0): string {
  const own = PRECEDENCE[condition.kind];
  let text: string;
  switch (condition.kind) {
    case "or":
    case "and":
      // Left-associative: the right operand of the same operator needs parentheses to keep its shape.
      text = `${printCondition(condition.left, own)} ${condition.kind} ${printCondition(condition.right, own + 1)}`;
      break;
    case "not":
      text = `not ${printCondition(condition.operand, own)}`;
      break;
    case "compare":
      text = `${condition.feature} ${condition.op} ${printLiteral(condition.value)}`;
      break;
    case "in":
      text = `${condition.feature} in [${condition.values.map(printLiteral).join(", ")}]`;
      break;
    case "flag":
      text = condition.feature;
      break;
  }
  return own < context ? `(${text})` : text;
}

// ───────────────────────────── Type checker ─────────────────────────────

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function unknownFeature(name: string): ConditionError {
  const names = Object.keys(FEATURES);
  const nearest = names.map((n) => ({ n, d: editDistance(name.toLowerCase(), n) })).sort((x, y) => x.d - y.d)[0];
  return new ConditionError("unknownFeature", {
    name,
    nearest: nearest && nearest.d <= 3 ? nearest.n : "",
    names: names.join(", "),
  });
}

function checkLiteral(feature: FeatureName, literal: Literal): void {
  const definition = FEATURES[feature];
  if (literal.type !== definition.type) {
    throw new ConditionError("typeMismatch", {
      feature,
      featureType: definition.type,
      literal: printLiteral(literal),
    });
  }
  const values = "values" in definition ? (definition.values as readonly string[]) : undefined;
  if (literal.type === "string" && values && !values.includes(literal.value)) {
    throw new ConditionError("impossibleValue", { feature, literal: printLiteral(literal), values: values.join(", ") });
  }
}

function knownFeature(name: string, eventKind: EventKind | undefined): FeatureName {
  if (!isFeatureName(name)) throw unknownFeature(name);
  if (eventKind && !featureAppliesTo(name, eventKind)) {
    throw new ConditionError("featureNotForEvent", {
      feature: name,
      eventKind,
      kinds: (FEATURES[name].kinds as readonly string[]).join(", "),
    });
  }
  return name;
}

/**
 * Throws a ConditionError naming the first problem: unknown feature, a feature the rule's event kind does not have,
 * wrong type, impossible value, bad operator. Without an event kind, any feature of any kind is accepted.
 */
export function typeCheckCondition(condition: Condition, eventKind?: EventKind): void {
  switch (condition.kind) {
    case "or":
    case "and":
      typeCheckCondition(condition.left, eventKind);
      typeCheckCondition(condition.right, eventKind);
      return;
    case "not":
      typeCheckCondition(condition.operand, eventKind);
      return;
    case "flag": {
      const feature = knownFeature(condition.feature, eventKind);
      const type = FEATURES[feature].type;
      if (type !== "bool") {
        throw new ConditionError("notBool", {
          feature: condition.feature,
          featureType: type,
          example: `${condition.feature} ${type === "number" ? ">= 1" : '== "…"'}`,
        });
      }
      return;
    }
    case "compare": {
      const feature = knownFeature(condition.feature, eventKind);
      checkLiteral(feature, condition.value);
      const type = FEATURES[feature].type;
      if (type !== "number" && condition.op !== "==" && condition.op !== "!=") {
        throw new ConditionError("operatorNotApplicable", {
          feature: condition.feature,
          featureType: type,
          op: condition.op,
        });
      }
      return;
    }
    case "in": {
      const feature = knownFeature(condition.feature, eventKind);
      for (const value of condition.values) checkLiteral(feature, value);
      return;
    }
  }
}

// ───────────────────────────── Evaluation ─────────────────────────────

function compare(left: number | string | boolean, op: Comparison, right: number | string | boolean): boolean {
  switch (op) {
    case "==":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
  }
}

/** Evaluates a type-checked condition. Pure: no I/O, no code from the rule ever runs. */
export function evaluateCondition(
  condition: Condition,
  values: Readonly<Record<string, number | string | boolean>>,
): boolean {
  switch (condition.kind) {
    case "or":
      return evaluateCondition(condition.left, values) || evaluateCondition(condition.right, values);
    case "and":
      return evaluateCondition(condition.left, values) && evaluateCondition(condition.right, values);
    case "not":
      return !evaluateCondition(condition.operand, values);
    case "flag":
      return values[condition.feature] === true;
    case "compare":
      return compare(featureValue(values, condition.feature), condition.op, condition.value.value);
    case "in": {
      const value = featureValue(values, condition.feature);
      return condition.values.some((v) => v.value === value);
    }
  }
}

function featureValue(values: Readonly<Record<string, number | string | boolean>>, feature: string) {
  const value = values[feature];
  // A missing feature is a defect, not a "no": the caller fails closed for the rule's outcome.
  if (value === undefined) throw new Error(`feature ${feature} was not computed`);
  return value;
}

/** The features a condition reads (for recording the values that triggered a decision). */
export function featuresOf(condition: Condition, into = new Set<FeatureName>()): Set<FeatureName> {
  switch (condition.kind) {
    case "or":
    case "and":
      featuresOf(condition.left, into);
      featuresOf(condition.right, into);
      break;
    case "not":
      featuresOf(condition.operand, into);
      break;
    default:
      if (isFeatureName(condition.feature)) into.add(condition.feature);
  }
  return into;
}

// ───────────────────────────── Coverage: every event, or none ─────────────────────────────

const MAX_EXACT_COMBINATIONS = 200_000;

function literalsOf(condition: Condition, feature: string, into: Literal[] = []): Literal[] {
  switch (condition.kind) {
    case "or":
    case "and":
      literalsOf(condition.left, feature, into);
      literalsOf(condition.right, feature, into);
      break;
    case "not":
      literalsOf(condition.operand, feature, into);
      break;
    case "compare":
      if (condition.feature === feature) into.push(condition.value);
      break;
    case "in":
      if (condition.feature === feature) into.push(...condition.values);
      break;
    case "flag":
      break;
  }
  return into;
}

/**
 * Values of one feature that together reach every truth assignment of the condition's comparisons: every number the
 * condition names, a point between each neighbouring pair and one beyond each end (features are never negative); for
 * text, every value named plus every other value it can take.
 */
function samplePoints(condition: Condition, feature: FeatureName): FeatureValue[] {
  const definition: FeatureDefinition = FEATURES[feature];
  if (definition.type === "bool") return [true, false];
  const literals = literalsOf(condition, feature);
  if (definition.type === "string") {
    const named = literals.map((l) => String(l.value));
    const others = definition.values ? [...definition.values] : ["\u0000another value"];
    return [...new Set([...named, ...others])];
  }
  const numbers = [...new Set([0, ...literals.map((l) => Number(l.value))])]
    .filter((n) => n >= 0)
    .sort((a, b) => a - b);
  const points = new Set<number>(numbers);
  for (let k = 0; k + 1 < numbers.length; k++) points.add((numbers[k]! + numbers[k + 1]!) / 2);
  points.add(numbers[numbers.length - 1]! + 1);
  return [...points];
}

type FeatureDefinition = { type: FeatureType; values?: readonly string[] };

/**
 * "all" when the condition is true for every possible event, "none" when for no event, otherwise "some". Exact: a
 * comparison with constants only changes truth at those constants, so the sample points cover every case.
 */
export function coverageOf(condition: Condition): "all" | "none" | "some" {
  const features = [...featuresOf(condition)];
  const axes = features.map((f) => samplePoints(condition, f));
  const combinations = axes.reduce((n, axis) => n * axis.length, 1);
  if (combinations > MAX_EXACT_COMBINATIONS) return "some"; // too many comparisons to enumerate: not refused
  let sawTrue = false;
  let sawFalse = false;
  const values: Record<string, number | string | boolean> = {};
  const visit = (k: number): boolean => {
    if (k === features.length) {
      if (evaluateCondition(condition, values)) sawTrue = true;
      else sawFalse = true;
      return sawTrue && sawFalse;
    }
    for (const point of axes[k]!) {
      values[features[k]!] = point;
      if (visit(k + 1)) return true;
    }
    return false;
  };
  visit(0);
  if (!sawFalse) return "all";
  if (!sawTrue) return "none";
  return "some";
}

export interface CheckedCondition {
  condition: Condition;
  /** The canonical text stored with the rule. */
  text: string;
}

/** Parse, type-check and refuse conditions that match everything or nothing. Throws ConditionError. */
export function checkCondition(text: string, eventKind?: EventKind): CheckedCondition {
  const condition = parseCondition(text);
  typeCheckCondition(condition, eventKind);
  const coverage = coverageOf(condition);
  if (coverage === "all") {
    throw new ConditionError("matchesEverything");
  }
  if (coverage === "none") throw new ConditionError("matchesNothing");
  return { condition, text: printCondition(condition) };
}
