import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import fc from "fast-check";
import { cachingParser, type CacheCounts, type ExpressionParser } from "../../../../localcloud/dynamodb/expressions/parse-cache.ts";

const require = createRequire(import.meta.url);

interface ParserModule {
  parse: ExpressionParser;
}

/** dynalite's validation of a request's expressions: an error message, or the parsed trees put on `data`. */
const validations = require("dynalite/validations/index.js") as { validateExpressions(data: Record<string, unknown>): string | undefined };
const parserModules = ["dynalite/db/conditionParser.js", "dynalite/db/updateParser.js", "dynalite/db/projectionParser.js"].map(
  (path) => require(path) as ParserModule,
);
const plainParsers = parserModules.map((module) => module.parse);

afterEach(() => parserModules.forEach((module, index) => (module.parse = plainParsers[index]!)));

const CONDITIONS = [
  "attribute_not_exists(pk)",
  "#s = :s",
  "#s IN (:a, :b)",
  "#n BETWEEN :lo AND :hi",
  "begins_with(#s, :p)",
  "size(#l) > :n",
  "attribute_type(#s, :t)",
  "#s <> :s AND attribute_exists(#n)",
  "NOT contains(#l, :a)",
  "#m.#s = :s OR #l[0] = :a",
  "(#s = :s)",
  "#s = ",
  "unknown_fn(#s)",
  "#s = :s AND #s = :s",
];
const UPDATES = [
  "SET #s = :s",
  "SET #n = #n + :n",
  "SET #l = list_append(#l, :a)",
  "SET #s = if_not_exists(#s, :s), #n = :n",
  "ADD #n :n",
  "REMOVE #s",
  "SET #s = :s REMOVE #n",
  "DELETE #l :a",
  "SET #s = :s, #s = :a",
  "SET #m.#s = :s, #m = :a",
  "SET",
];
const PROJECTIONS = ["#s, #n", "#m.#s", "#l[1], pk", "#s, #s"];

/** Mostly the names an expression needs; sometimes a reserved word, one missing or one too many. */
const names = fc.constantFrom(
  { "#s": "status", "#n": "balance", "#l": "items", "#m": "nested" },
  { "#s": "size", "#n": "balance", "#l": "items", "#m": "nested" },
  { "#s": "status", "#n": "balance" },
  { "#s": "status", "#n": "balance", "#l": "items", "#m": "nested", "#extra": "x" },
);

const attributeValue = fc.constantFrom("S", "N", "B", "SS", "L", "BOOL", "NULL").chain((type) => valueOf(type));

function valueOf(type: string): fc.Arbitrary<Record<string, unknown>> {
  switch (type) {
    case "S":
      return fc.constantFrom("a", "b", "S", "N", "zzz", "").map((S) => ({ S }));
    case "N":
      return fc.integer({ min: -5, max: 5 }).map((n) => ({ N: String(n) }));
    case "B":
      return fc.constant({ B: "YQ==" });
    case "SS":
      return fc.uniqueArray(fc.constantFrom("a", "b", "c"), { minLength: 1 }).map((SS) => ({ SS }));
    case "L":
      return fc.array(fc.integer({ min: 0, max: 3 }).map((n) => ({ N: String(n) })), { maxLength: 2 }).map((L) => ({ L }));
    case "BOOL":
      return fc.boolean().map((BOOL) => ({ BOOL }));
    default:
      return fc.constant({ NULL: true });
  }
}

/** A value of the type its name suggests, most of the time, with any content. */
const valueFor = (usualType: string) => fc.oneof({ weight: 30, arbitrary: valueOf(usualType) }, { weight: 1, arbitrary: attributeValue });

const values = fc.record(
  { ":s": valueFor("S"), ":a": valueFor("L"), ":b": valueFor("S"), ":lo": valueFor("N"), ":hi": valueFor("N"), ":p": valueFor("S"), ":n": valueFor("N"), ":t": valueFor("S"), ":extra": valueFor("S") },
  { requiredKeys: [":s", ":a", ":b", ":lo", ":hi", ":p", ":n", ":t"] },
);

/** A request's expression parameters: few expression texts, so they repeat with other names and values. */
const request = fc.record(
  {
    ConditionExpression: fc.constantFrom(...CONDITIONS),
    UpdateExpression: fc.constantFrom(...UPDATES),
    ProjectionExpression: fc.constantFrom(...PROJECTIONS),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  },
  { requiredKeys: ["ExpressionAttributeNames"] },
);

type Request = Record<string, unknown>;

function validate(data: Request): { message: string | undefined; trees: unknown[] } {
  const message = validations.validateExpressions(data);
  return { message, trees: [data["_condition"], data["_updates"], data["_projection"]] };
}

function useParsers(parsers: readonly ExpressionParser[]): void {
  parserModules.forEach((module, index) => (module.parse = parsers[index]!));
}

/** What a careless consumer of a parsed tree might do to it. */
function scribble(tree: unknown): void {
  if (Array.isArray(tree)) {
    tree.forEach(scribble);
    tree.push("scribbled");
  } else if (typeof tree === "object" && tree !== null) {
    for (const [field, value] of Object.entries(tree)) {
      scribble(value);
      (tree as Record<string, unknown>)[field] = typeof value === "string" ? "scribbled" : value;
    }
  }
}

describe("cached parsing of dynalite's expressions", () => {
  test("answers every request exactly as dynalite's own parsers, whatever names and values come with a repeated expression", () => {
    const counts: CacheCounts = { hits: 0, misses: 0 };
    const cachedParsers = plainParsers.map((parse) => cachingParser(parse, counts));
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 30 }), (requests) => {
        for (const data of requests) {
          useParsers(plainParsers);
          const expected = validate(structuredClone(data));
          useParsers(cachedParsers);
          const actual = validate(structuredClone(data));
          assert.deepEqual(actual, expected);
          // Whatever is done to a tree handed out must not reach the next request's.
          actual.trees.forEach(scribble);
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(counts.hits > counts.misses, `hits: ${counts.hits}, misses: ${counts.misses}`);
  });

  test("a tree handed out holds the request's own value objects, as dynalite's parser gives them", () => {
    const counts: CacheCounts = { hits: 0, misses: 0 };
    useParsers(plainParsers.map((parse) => cachingParser(parse, counts)));
    const first = { UpdateExpression: "SET #s = :s", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": { S: "NEW" } } };
    const second = { UpdateExpression: "SET #s = :s", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":s": { S: "FILLED" } } };
    assert.equal(validations.validateExpressions(first), undefined);
    assert.equal(validations.validateExpressions(second), undefined);
    assert.deepEqual(counts, { hits: 1, misses: 1 });
    const section = (second as typeof second & { _updates: { sections: { val: unknown }[] } })._updates.sections[0];
    assert.equal(section?.val, second.ExpressionAttributeValues[":s"]);
  });

  test("an invalid expression is parsed, and refused, every time", () => {
    const counts: CacheCounts = { hits: 0, misses: 0 };
    useParsers(plainParsers.map((parse) => cachingParser(parse, counts)));
    const messages = [1, 2, 3].map(() => validations.validateExpressions({ ConditionExpression: "#s = ", ExpressionAttributeNames: { "#s": "status" } }));
    assert.equal(new Set(messages).size, 1);
    assert.match(messages[0] ?? "", /^Invalid ConditionExpression: Syntax error/);
    assert.deepEqual(counts, { hits: 0, misses: 3 });
  });
});
