import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { averagePrice, centsFromDecimal, divideHalfEven, formatCents, formatPrice, multiplyToCents, MoneyFormatError, priceFromDecimal, priceFromFloat, proportionOfCents } from "../../../domain/money.ts";

describe("exact money", () => {
  test("10 × 40.55 is exactly 405.50", () => {
    const cents = multiplyToCents(10, priceFromDecimal("40.55"));
    assert.equal(cents, 40_550);
    assert.equal(formatCents(cents), "405.50");
  });

  test("a float product would drift; ours does not (3 × 0.1 = 0.30)", () => {
    assert.notEqual(3 * 0.1, 0.3);
    assert.equal(formatCents(multiplyToCents(3, priceFromDecimal("0.1"))), "0.30");
  });

  test("quantity × price rounds half to even at the cent", () => {
    assert.equal(multiplyToCents(1, priceFromDecimal("0.1250")), 12); // 12.5 cents → 12 (even)
    assert.equal(multiplyToCents(1, priceFromDecimal("0.1350")), 14); // 13.5 cents → 14 (even)
    assert.equal(multiplyToCents(1, priceFromDecimal("0.1251")), 13); // above half → up
    assert.equal(multiplyToCents(3, priceFromDecimal("0.0049")), 1); // 1.47 cents → 1
  });

  test("half-even also holds for negative amounts", () => {
    assert.equal(divideHalfEven(-25n, 10n), -2n);
    assert.equal(divideHalfEven(-35n, 10n), -4n);
    assert.equal(divideHalfEven(-36n, 10n), -4n);
  });

  test("large orders stay exact", () => {
    assert.equal(formatCents(multiplyToCents(1_000_000, priceFromDecimal("99999.9999"))), "99999999900.00");
  });

  test("parses and formats API decimals", () => {
    assert.equal(centsFromDecimal("100000.00"), 10_000_000);
    assert.equal(centsFromDecimal("0.5"), 50);
    assert.equal(formatCents(-1234), "-12.34");
    assert.equal(formatCents(5), "0.05");
    assert.equal(formatPrice(405_500), "40.55");
    assert.equal(formatPrice(405_510), "40.551");
    assert.throws(() => centsFromDecimal("1.234"), MoneyFormatError);
    assert.throws(() => centsFromDecimal("12,00"), MoneyFormatError);
  });

  test("feed floats become the nearest price unit", () => {
    assert.equal(priceFromFloat(40.55), 405_500);
    assert.equal(priceFromFloat(0.1 + 0.2), 3_000);
    assert.throws(() => priceFromFloat(Number.NaN), MoneyFormatError);
  });

  test("average cost and proportional cost basis", () => {
    assert.equal(formatPrice(averagePrice(centsFromDecimal("1000.00"), 3)), "333.3333");
    assert.equal(averagePrice(100, 0), 0);
    assert.equal(proportionOfCents(1000, 1, 3), 333);
  });
});
