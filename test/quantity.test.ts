/**
 * Resource quantities read as the API server reads them (`resource.ParseQuantity`): exact, in
 * nano-units, rounded up, so a request can never be compared with its limit through rounding.
 */
import { isWhole, parseQuantity } from '../src/quantity';

const nanos = (text: string) => parseQuantity(text)?.nanos;

describe('parseQuantity', () => {
  test.each<[string, bigint, string]>([
    ['0', 0n, ''],
    ['1', 1_000_000_000n, ''],
    ['1.5', 1_500_000_000n, ''],
    ['.5', 500_000_000n, ''],
    ['5.', 5_000_000_000n, ''],
    ['500m', 500_000_000n, 'm'],
    ['1n', 1n, 'n'],
    ['3u', 3_000n, 'u'],
    ['2k', 2_000_000_000_000n, 'k'],
    ['1M', 10n ** 15n, 'M'],
    ['1G', 10n ** 18n, 'G'],
    ['1T', 10n ** 21n, 'T'],
    ['1P', 10n ** 24n, 'P'],
    ['1E', 10n ** 27n, 'E'],
    ['1Ki', 1024n * 10n ** 9n, 'Ki'],
    ['256Mi', 256n * 2n ** 20n * 10n ** 9n, 'Mi'],
    ['1Gi', 2n ** 30n * 10n ** 9n, 'Gi'],
    ['1Ti', 2n ** 40n * 10n ** 9n, 'Ti'],
    ['1Pi', 2n ** 50n * 10n ** 9n, 'Pi'],
    ['1Ei', 2n ** 60n * 10n ** 9n, 'Ei'],
    ['0.5Gi', 2n ** 29n * 10n ** 9n, 'Gi'],
    ['2e3', 2_000n * 10n ** 9n, 'e3'],
    ['2E3', 2_000n * 10n ** 9n, 'E3'],
    ['2e+3', 2_000n * 10n ** 9n, 'e+3'],
    ['2e-3', 2_000_000n, 'e-3'],
    ['1e18', 10n ** 27n, 'e18'],
    ['1e-18', 1n, 'e-18'], // finer than a nano-unit: rounded up to one
  ])('%s is %s nano-units (suffix %j)', (text, value, suffix) => {
    expect(parseQuantity(text)).toEqual({ nanos: value, suffix });
  });

  test('equal amounts in different spellings are equal', () => {
    expect(nanos('1.07G')).toBe(nanos('1070M'));
    expect(nanos('0.1')! + nanos('0.2')!).toBe(nanos('0.3'));
    expect(nanos('1Ki')).toBe(nanos('1024'));
    expect(nanos('1e3')).toBe(nanos('1k'));
  });

  test('a value finer than a nano-unit rounds up, never down (a request may not shrink under its limit)', () => {
    expect(nanos('0.1n')).toBe(1n);
    expect(nanos('1.5n')).toBe(2n);
    expect(nanos('1.0n')).toBe(1n); // exact: not rounded past itself
    expect(nanos('0.0000000001')).toBe(1n);
  });

  test.each([
    '', '-1', '+1', '1.5.5', '.', '1 ', ' 1', '1mi', '1KI', '1Mb', '1e', '1e1.5', 'e3', '1x', '0x10', '1e19', '1e-19', '1e99',
  ])('%j is not a quantity', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test.each([1, null, undefined, {}, ['1']])('%p is not a string', (value) => {
    expect(parseQuantity(value)).toBeUndefined();
  });
});

describe('isWhole', () => {
  test.each([['1', true], ['0', true], ['1Gi', true], ['1k', true], ['500m', false], ['1.5', false], ['1n', false], ['1001m', false]])(
    '%s: %s', (text, whole) => {
      expect(isWhole(parseQuantity(text as string)!)).toBe(whole);
    });
});
