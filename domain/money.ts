/**
 * Exact money. Amounts are integer minor units (cents) and prices are integer
 * ten-thousandths of the currency unit ("price units"), so 40.55 is 405_500.
 * Products are computed with bigint and rounded ONCE, half-even to the cent.
 * This module is the only place that knows these scales.
 */
export type Currency = "BRL" | "USD";
export const CURRENCIES: readonly Currency[] = ["BRL", "USD"];

/** Integer cents. */
export type Cents = number;
/** Integer ten-thousandths of a currency unit. */
export type PriceUnits = number;

export const PRICE_SCALE = 10_000;
const PRICE_UNITS_PER_CENT = 100n;

export class MoneyFormatError extends Error {
  override readonly name = "MoneyFormatError";
}

/** Divides and rounds half to even (banker's rounding). Works for negative numerators too. */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  const awayFromZero = numerator < 0n ? quotient - 1n : quotient + 1n;
  if (twice > denominator) return awayFromZero;
  if (twice < denominator) return quotient;
  return quotient % 2n === 0n ? quotient : awayFromZero;
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} is beyond exact integer range`);
  }
  return Number(value);
}

/** quantity × price, rounded half-even to the cent. 10 × 40.55 = 40550 cents exactly. */
export function multiplyToCents(quantity: number, price: PriceUnits): Cents {
  return toSafeNumber(divideHalfEven(BigInt(quantity) * BigInt(price), PRICE_UNITS_PER_CENT));
}

/** part × numerator / denominator in cents, half-even (used to take a share of a cost basis). */
export function proportionOfCents(amount: Cents, numerator: number, denominator: number): Cents {
  return toSafeNumber(divideHalfEven(BigInt(amount) * BigInt(numerator), BigInt(denominator)));
}

/** Average price per share in price units, half-even, or 0 for no shares. */
export function averagePrice(costBasis: Cents, quantity: number): PriceUnits {
  if (quantity <= 0) return 0;
  return toSafeNumber(divideHalfEven(BigInt(costBasis) * PRICE_UNITS_PER_CENT, BigInt(quantity)));
}

/** Parses a plain decimal string ("405.5", "-3", "40.5500") into an integer at `scale` decimals. */
export function parseDecimal(text: string, decimals: number): number {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new MoneyFormatError(`not a decimal number: "${text}"`);
  const [, sign = "", whole = "0", fraction = ""] = match;
  if (fraction.length > decimals && /[1-9]/.test(fraction.slice(decimals))) {
    throw new MoneyFormatError(`"${text}" has more than ${decimals} decimal places`);
  }
  const digits = BigInt(whole + fraction.slice(0, decimals).padEnd(decimals, "0"));
  return toSafeNumber(sign === "-" ? -digits : digits);
}

export const centsFromDecimal = (text: string): Cents => parseDecimal(text, 2);
export const priceFromDecimal = (text: string): PriceUnits => parseDecimal(text, 4);

/** A price a data feed gives as a binary float (e.g. 40.55) rounded to the nearest price unit. */
export function priceFromFloat(value: number): PriceUnits {
  if (!Number.isFinite(value) || value <= 0) throw new MoneyFormatError(`not a usable price: ${value}`);
  return Math.round(value * PRICE_SCALE);
}

function formatScaled(value: number, decimals: number, minDecimals: number): string {
  const negative = value < 0;
  const digits = String(Math.abs(value)).padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  let fraction = digits.slice(digits.length - decimals);
  while (fraction.length > minDecimals && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** 40550 → "405.50"; the API's money format. */
export const formatCents = (cents: Cents): string => formatScaled(cents, 2, 2);
/** 405500 → "40.55"; 405510 → "40.551" (2 to 4 places). */
export const formatPrice = (price: PriceUnits): string => formatScaled(price, 4, 2);

export function isCurrency(value: unknown): value is Currency {
  return value === "BRL" || value === "USD";
}
