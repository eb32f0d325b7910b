/** What dynalite's expression parsers (db/*Parser.js) read from and write to their context. */
export interface ParseContext {
  attrNames?: Record<string, unknown>;
  attrVals?: Record<string, unknown>;
  /** Names not yet used by any expression of the request; a parse deletes the ones it uses. */
  unusedAttrNames?: Record<string, unknown>;
  unusedAttrVals?: Record<string, unknown>;
  [other: string]: unknown;
}

export type ExpressionParser = (text: string, options: { context: ParseContext }) => unknown;

export interface CacheCounts {
  hits: number;
  misses: number;
}

/** Where a request's ExpressionAttributeValues entry goes in a cached tree. */
class ValueSlot {
  constructor(readonly name: string) {}
}

interface Entry {
  /** The parsed tree with every attribute value replaced by its slot. */
  readonly template: unknown;
  readonly usedNames: readonly string[];
  readonly usedValues: readonly string[];
}

/** The parser met something other than plain objects and arrays: its tree is not cached. */
class NotPlainTree extends Error {}

/** Operators whose checks read the values themselves, not only their types. */
const READS_VALUES = /between|attribute_type/i;

export const DEFAULT_CAPACITY = 2_000;

/**
 * Wraps one of dynalite's expression parsers so that each expression is parsed once.
 *
 * A parse's tree holds the request's attribute values themselves (the very objects),
 * and its checks read only their types, except BETWEEN's bounds and attribute_type's
 * type name, which read the values. So a tree is cached under the expression, the
 * attribute names and the values' types (the values too for those two operators), with
 * the values taken out; every hit gets a fresh copy with the request's own values put in,
 * so nothing dynalite does with a tree reaches the cached one. A parser answers a
 * semantic error (an undefined name, an operand of the wrong type) with its message,
 * which the same key always gives, so it is cached too; a syntax error is thrown, and
 * is not: such an expression is parsed, and refused, every time.
 */
export function cachingParser(parse: ExpressionParser, counts: CacheCounts, capacity = DEFAULT_CAPACITY): ExpressionParser {
  const entries = new Map<string, Entry>();
  return (text, options) => {
    const { context } = options;
    if (typeof text !== "string" || Object.keys(options).length !== 1 || !isObject(context)) return parse(text, options);
    const key = cacheKey(text, context);
    const entry = entries.get(key);
    if (entry !== undefined) {
      counts.hits++;
      markUsed(context, entry);
      return fillIn(entry.template, context.attrVals ?? {});
    }
    counts.misses++;
    const { result, usedNames, usedValues } = parseTracked(parse, text, context);
    const template = templateOf(result, context.attrVals ?? {});
    if (template !== undefined) {
      if (entries.size >= capacity) entries.delete(entries.keys().next().value as string);
      entries.set(key, { template: template.tree, usedNames, usedValues });
    }
    return result;
  };
}

function cacheKey(text: string, context: ParseContext): string {
  const values = context.attrVals;
  const valuesPart = values === undefined || READS_VALUES.test(text) ? JSON.stringify(values) : typesOf(values);
  return `${text}\u0000${JSON.stringify(context.attrNames)}\u0000${valuesPart}`;
}

/** Each value's name and type, e.g. `:n=N;:s=S`: what the parsers' type checks read. */
function typesOf(values: Record<string, unknown>): string {
  let types = "";
  for (const [name, value] of Object.entries(values)) {
    const type = isObject(value) ? Object.keys(value).filter((field) => value[field] != null).join(",") : JSON.stringify(value);
    types += `${name}=${type};`;
  }
  return types;
}

/** Parses with fresh "unused" sets, to learn which names the expression uses, then marks them used in the request's. */
function parseTracked(parse: ExpressionParser, text: string, context: ParseContext): { result: unknown; usedNames: string[]; usedValues: string[] } {
  const names = Object.keys(context.attrNames ?? {});
  const values = Object.keys(context.attrVals ?? {});
  const unusedNames = allTrue(names);
  const unusedValues = allTrue(values);
  const result = parse(text, { context: { ...context, unusedAttrNames: unusedNames, unusedAttrVals: unusedValues } });
  const used = { usedNames: names.filter((name) => !(name in unusedNames)), usedValues: values.filter((name) => !(name in unusedValues)) };
  markUsed(context, used);
  return { result, ...used };
}

function markUsed(context: ParseContext, used: { readonly usedNames: readonly string[]; readonly usedValues: readonly string[] }): void {
  for (const name of used.usedNames) if (context.unusedAttrNames) delete context.unusedAttrNames[name];
  for (const name of used.usedValues) if (context.unusedAttrVals) delete context.unusedAttrVals[name];
}

function allTrue(names: readonly string[]): Record<string, boolean> {
  const set: Record<string, boolean> = Object.create(null) as Record<string, boolean>;
  for (const name of names) set[name] = true;
  return set;
}

/** A copy of `tree` with the request's value objects replaced by slots; undefined if it cannot be copied. */
function templateOf(tree: unknown, values: Record<string, unknown>): { tree: unknown } | undefined {
  const slots = new Map<unknown, ValueSlot>();
  for (const [name, value] of Object.entries(values)) if (isObject(value) && !slots.has(value)) slots.set(value, new ValueSlot(name));
  // A part of a value held on its own would keep this request's content: not cached.
  const parts = new Set<object>();
  for (const value of slots.keys()) collectParts(value, parts);
  const replace = (node: object): ValueSlot | undefined => {
    if (parts.has(node)) throw new NotPlainTree();
    return slots.get(node);
  };
  try {
    return { tree: copy(tree, replace, new Map()) };
  } catch (error) {
    if (error instanceof NotPlainTree) return undefined;
    throw error;
  }
}

function collectParts(value: unknown, parts: Set<object>): void {
  if (typeof value !== "object" || value === null) return;
  for (const part of Object.values(value)) {
    if (typeof part === "object" && part !== null && !parts.has(part)) {
      parts.add(part);
      collectParts(part, parts);
    }
  }
}

/** A fresh copy of a template with this request's values in its slots. */
function fillIn(template: unknown, values: Record<string, unknown>): unknown {
  return copy(template, (node) => (node instanceof ValueSlot ? values[node.name] : undefined), new Map());
}

/**
 * Deep copy of plain objects and arrays, keeping their prototypes and which parts are
 * shared (an update's `paths` are the same arrays as its sections'). `replace` may
 * answer a node's replacement instead.
 */
function copy(node: unknown, replace: (node: object) => unknown, copies: Map<object, unknown>): unknown {
  if (typeof node === "function") throw new NotPlainTree();
  if (typeof node !== "object" || node === null) return node;
  const replacement = replace(node);
  if (replacement !== undefined) return replacement;
  if (node instanceof ValueSlot) return node;
  const done = copies.get(node);
  if (done !== undefined) return done;
  if (Array.isArray(node)) {
    const array: unknown[] = new Array(node.length);
    copies.set(node, array);
    for (let index = 0; index < node.length; index++) array[index] = copy(node[index], replace, copies);
    return array;
  }
  const prototype: unknown = Object.getPrototypeOf(node);
  if (prototype !== Object.prototype && prototype !== null) throw new NotPlainTree();
  const object = Object.create(prototype) as Record<string, unknown>;
  copies.set(node, object);
  for (const [field, value] of Object.entries(node)) object[field] = copy(value, replace, copies);
  return object;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
