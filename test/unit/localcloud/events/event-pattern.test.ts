import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { InvalidEventPatternError, matchesEventPattern, parseEventPattern } from "../../../../localcloud/events/index.ts";

const event = {
  source: "brokerage.orders",
  "detail-type": "OrderFilled",
  detail: { amount: 25000, currency: "BRL", ticker: "PETR4", tags: ["b3", "large"], user: { tier: "gold" }, note: null },
};
const matches = (pattern: unknown): boolean => matchesEventPattern(parseEventPattern(JSON.stringify(pattern)), event);

describe("EventBridge event patterns", () => {
  test("exact values, lists of alternatives, arrays in the event and nested fields", () => {
    assert.ok(matches({ source: ["brokerage.orders"], detail: { currency: ["USD", "BRL"] } }));
    assert.ok(matches({ detail: { tags: ["large"] } }));
    assert.ok(matches({ detail: { user: { tier: ["gold"] } } }));
    assert.ok(!matches({ detail: { user: { tier: ["silver"] } } }));
    assert.ok(!matches({ source: ["brokerage.orders"], detail: { currency: ["USD"] } }));
    assert.ok(!matches({ detail: { missing: ["x"] } }));
  });

  test("prefix, suffix, equals-ignore-case and anything-but", () => {
    assert.ok(matches({ detail: { ticker: [{ prefix: "PETR" }] } }));
    assert.ok(!matches({ detail: { ticker: [{ prefix: "VALE" }] } }));
    assert.ok(matches({ "detail-type": [{ suffix: "Filled" }] }));
    assert.ok(matches({ detail: { currency: [{ "equals-ignore-case": "brl" }] } }));
    assert.ok(matches({ detail: { currency: [{ "anything-but": ["USD", "EUR"] }] } }));
    assert.ok(!matches({ detail: { currency: [{ "anything-but": "BRL" }] } }));
    assert.ok(!matches({ detail: { ticker: [{ "anything-but": { prefix: "PE" } }] } }));
  });

  test("numeric ranges and exists", () => {
    assert.ok(matches({ detail: { amount: [{ numeric: [">=", 10000] }] } }));
    assert.ok(matches({ detail: { amount: [{ numeric: [">", 0, "<=", 25000] }] } }));
    assert.ok(!matches({ detail: { amount: [{ numeric: ["<", 10000] }] } }));
    assert.ok(!matches({ detail: { currency: [{ numeric: [">", 0] }] } }), "a string is never in a numeric range");
    assert.ok(matches({ detail: { amount: [{ exists: true }], absent: [{ exists: false }] } }));
    assert.ok(!matches({ detail: { absent: [{ exists: true }] } }));
    assert.ok(matches({ detail: { nested: { deeper: [{ exists: false }] } } }));
  });

  test("$or matches when any of its patterns does", () => {
    assert.ok(matches({ $or: [{ detail: { currency: ["USD"] } }, { detail: { amount: [{ numeric: [">", 20000] }] } }] }));
    assert.ok(!matches({ $or: [{ detail: { currency: ["USD"] } }, { source: ["other"] }] }));
  });

  test("malformed patterns are refused as PutRule refuses them", () => {
    for (const text of ["not json", "[]", '{"source":"x"}', '{"source":[]}', '{"a":[{"numeric":[">"]}]}', '{"a":[{"wrong":1}]}']) {
      assert.throws(() => parseEventPattern(text), InvalidEventPatternError, text);
    }
  });

  test("a pattern of an event's own values matches it; changing one value no longer does", () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean());
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== "$or"), scalar, { minKeys: 1 }), (detail) => {
        const pattern = { detail: Object.fromEntries(Object.entries(detail).map(([key, value]) => [key, [value]])) };
        const parsed = parseEventPattern(JSON.stringify(pattern));
        assert.ok(matchesEventPattern(parsed, { detail }));
        const [key, value] = Object.entries(detail)[0] ?? ["", ""];
        const changed = { ...detail, [key]: typeof value === "string" ? `${value}!` : typeof value === "number" ? value + 1 : !value };
        assert.ok(!matchesEventPattern(parsed, { detail: changed }));
      }),
    );
  });
});
