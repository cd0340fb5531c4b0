/**
 * Kubernetes resource quantities (`500m`, `256Mi`, `1.5`, `2e3`), read exactly as the API server
 * reads them, so that a request can be compared with its limit before anything reaches the server.
 *
 * Values are kept as exact integers of nano-units (BigInt), never as floating point: `1.07G` equals
 * `1070M`, and `0.1 + 0.2`-style rounding can neither hide nor invent a request above its limit. Like
 * `resource.ParseQuantity`, a value finer than a nano-unit is rounded up to the next nano-unit.
 */

const QUANTITY = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

/** Decimal suffixes as powers of ten, binary ones as powers of two. */
const DECIMAL: Record<string, number> = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** The largest decimal exponent accepted; the API server refuses larger quantities too. */
const MAX_EXPONENT = 18;
const NANO = 9;

/** A parsed quantity. */
export interface Quantity {
  /** The value in nano-units of the base unit (cores, bytes), rounded up: exact. */
  readonly nanos: bigint;
  /** The suffix as written (`Mi`, `m`, `e3`, or empty). */
  readonly suffix: string;
}

/** Parses a quantity; undefined when the text is not a non-negative Kubernetes quantity. */
export function parseQuantity(text: unknown): Quantity | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  const match = QUANTITY.exec(text);
  if (!match) {
    return undefined;
  }
  const [, number, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  const digits = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length + NANO; // nano-units: shift by 10^9
  let binary = 0;
  // The named suffixes first: `E` (exa) and `Ei` (exbi) start with an `E` too, but are not exponents.
  if (suffix in BINARY) {
    binary = BINARY[suffix];
  } else if (suffix in DECIMAL) {
    exponent += DECIMAL[suffix];
  } else {
    const e = Number(suffix.slice(1));
    if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT) {
      return undefined;
    }
    exponent += e;
  }
  let numerator = digits * (2n ** BigInt(binary));
  let denominator = 1n;
  if (exponent >= 0) {
    numerator *= 10n ** BigInt(exponent);
  } else {
    denominator = 10n ** BigInt(-exponent);
  }
  const nanos = (numerator + denominator - 1n) / denominator; // round up, as the API server does
  return { nanos, suffix };
}

/** Whether the quantity is a whole number of base units (bytes cannot be split: `500m` of memory is a typo). */
export function isWhole(quantity: Quantity): boolean {
  return quantity.nanos % 1000000000n === 0n;
}
