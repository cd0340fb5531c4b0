/**
 * Kubernetes resource quantities (`500m`, `256Mi`, `1.5`, `2e3`), parsed to numbers so that a
 * request can be compared with its limit before anything reaches the API server.
 */

const QUANTITY = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const SUFFIX: Record<string, number> = {
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** The value of a quantity in base units, or undefined when the text is not a non-negative quantity. */
export function parseQuantity(text: string): number | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  const match = QUANTITY.exec(text);
  if (!match) {
    return undefined;
  }
  const [, number, suffix = ''] = match;
  const multiplier = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix];
  const value = Number(number) * multiplier;
  return Number.isFinite(value) ? value : undefined;
}
