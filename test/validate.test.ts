/**
 * The validation primitives on their own: the limits Kubernetes puts on names, keys and labels, at
 * their exact boundaries, and the error text the user reads. A name the API server would refuse must
 * fail at synth, with every problem listed and no value rendered at unbounded length.
 */
import {
  describe as describeValue, dns1035LabelProblem, dns1123LabelProblem, dns1123SubdomainProblem, hostNameProblem, httpPathProblem,
  httpRequestKey, integerProblem, labelKeyProblem, labelValueProblem, Problems, secretKeyProblem,
} from '../src/validate';

const a = (n: number) => 'a'.repeat(n);

describe('Problems', () => {
  test('nothing to report: no error', () => {
    const problems = new Problems();
    expect(problems.count).toBe(0);
    expect(() => problems.throwIfAny('SecureTradingApi gateway')).not.toThrow();
  });

  test('one problem: named, with the value, the fix, and "nothing was emitted"', () => {
    const problems = new Problems();
    problems.add('replicas', 0, 'must be between 2 and 10', 'set replicas to 2 or more');
    expect(problems.count).toBe(1);
    expect(() => problems.throwIfAny('SecureTradingApi gateway')).toThrow(
      'SecureTradingApi gateway: 1 invalid prop problem; nothing was emitted.\n  - replicas: must be between 2 and 10 (got 0). Fix: set replicas to 2 or more');
  });

  test('several problems: all of them, in order, one per line', () => {
    const problems = new Problems();
    problems.add('host', '*.example.com', 'no wildcard', 'name one host');
    problems.add('image', undefined, 'required', 'pin a digest');
    expect(problems.count).toBe(2);
    expect(() => problems.throwIfAny('X')).toThrow(
      'X: 2 invalid prop problems; nothing was emitted.\n  - host: no wildcard (got "*.example.com"). Fix: name one host\n  - image: required (got nothing). Fix: pin a digest');
  });
});

describe('describe: a short, safe rendering of a user value', () => {
  test.each<[unknown, string]>([
    [undefined, 'nothing'],
    ['abc', '"abc"'],
    [a(120), JSON.stringify(a(120))],
    [a(121), JSON.stringify(`${a(117)}...`)],
    [{ k: 'v' }, '{"k":"v"}'],
    [[1, 2], '[1,2]'],
    [Symbol('s'), 'Symbol(s)'], // JSON.stringify gives undefined for a symbol
    [10n, '10'], // JSON.stringify throws on a BigInt
  ])('%p', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  test('a long object is cut at 120 characters', () => {
    const text = describeValue({ k: a(200) });
    expect(text).toHaveLength(120);
    expect(text.endsWith('...')).toBe(true);
    expect(describeValue({ k: a(112) })).toBe(`{"k":"${a(112)}"}`); // exactly 120: kept whole
  });
});

describe('DNS labels and subdomains', () => {
  test.each([dns1123LabelProblem, dns1035LabelProblem])('%p: empty, 63 and 64 characters', (check) => {
    expect(check('')).toBe('must not be empty');
    expect(check(a(63))).toBeUndefined();
    expect(check(a(64))).toBe('must be at most 63 characters long (it is 64)');
    expect(check(a(20), 20)).toBeUndefined();
    expect(check(a(21), 20)).toBe('must be at most 20 characters long (it is 21)');
  });

  test.each(['trading', 'a', 'a-1', '0a'])('RFC 1123 label %j is accepted', (name) => {
    expect(dns1123LabelProblem(name)).toBeUndefined();
  });

  test.each(['Trading', '-a', 'a-', 'a.b', 'a_b', 'a b', 'trading\n'])('RFC 1123 label %j is refused', (name) => {
    expect(dns1123LabelProblem(name)).toContain('lower-case letters, digits and "-"');
  });

  test.each(['0a', '1', '-a', 'a-', 'A'])('RFC 1035 label %j is refused (starts with a letter, ends alphanumeric)', (name) => {
    expect(dns1035LabelProblem(name)).toContain('start with a letter');
  });

  test('subdomains: 253 characters at most, each part a label of 63 at most', () => {
    const long = [a(63), a(63), a(63), a(61)].join('.');
    expect(long).toHaveLength(253);
    expect(dns1123SubdomainProblem(long)).toBeUndefined();
    expect(dns1123SubdomainProblem(`${long}a`)).toBe('must be at most 253 characters long (it is 254)');
    expect(dns1123SubdomainProblem('')).toBe('must not be empty');
    expect(dns1123SubdomainProblem(`${a(64)}.b`)).toContain('each dot-separated part 1-63 characters');
    expect(dns1123SubdomainProblem(`${a(63)}.b`)).toBeUndefined();
    for (const bad of ['a..b', '.a', 'a.', 'A.b', 'a_b.c']) {
      expect(dns1123SubdomainProblem(bad)).toContain('each dot-separated part');
    }
  });
});

describe('Ingress host names', () => {
  test.each([
    ['*.example.com', 'wildcard hosts widen the TLS and routing surface'],
    ['203.0.113.7', 'not an IP address'],
    ['2001:db8::1', 'not an IP address'],
    ['localhost', 'at least two labels'],
    ['API.example.com', 'lower-case letters'],
    ['api..example.com', 'dot-separated part'],
  ])('%j is refused: %s', (host, words) => {
    expect(hostNameProblem(host)).toContain(words);
  });

  test.each(['api.trading.example.com', 'a.b', '1a.example.com', 'x.ab'])('%j is accepted', (host) => {
    expect(hostNameProblem(host)).toBeUndefined();
  });

  test('a wildcard only counts as the first label', () => {
    expect(hostNameProblem('a.*.example.com')).toContain('lower-case letters');
  });
});

describe('Secret keys (file names under the credentials mount)', () => {
  test.each(['api-key', 'API_SECRET', 'key.pem', '.hidden', 'a..b', a(253)])('%j is accepted', (key) => {
    expect(secretKeyProblem(key)).toBeUndefined();
  });

  test.each([
    ['', 'must not be empty'],
    [a(254), 'at most 253 characters'],
    ['../etc/passwd', 'letters, digits'],
    ['a/b', 'letters, digits'],
    ['a b', 'letters, digits'],
    ['key\n', 'letters, digits'],
    ['.', 'must not be "." or start with ".."'],
    ['..', 'must not be "." or start with ".."'],
    // The kubelet's atomic writer keeps ..data and ..<timestamp> in a Secret volume.
    ['..a', 'must not be "." or start with ".."'],
    ['..data', 'the kubelet keeps its own files there'],
    ['0X1F', 'as a number, boolean or null'],
  ])('%j is refused: %s', (key, words) => {
    expect(secretKeyProblem(key)).toContain(words);
  });
});

describe('labels', () => {
  test.each(['app', 'app.kubernetes.io/name', 'example.com/a_b-c.d', a(63), `p/${a(63)}`, 'A9'])('key %j is accepted', (key) => {
    expect(labelKeyProblem(key)).toBeUndefined();
  });

  test.each([
    ['Example.com/name', 'prefix "Example.com" must be a DNS subdomain'],
    ['/name', 'prefix "" must be a DNS subdomain'],
    ['example.com/', 'must end in a name of 1-63'],
    ['', 'must end in a name of 1-63'],
    [a(64), 'must end in a name of 1-63'],
    ['-name', 'must end in a name'],
    ['name-', 'must end in a name'],
    ['na me', 'must end in a name'],
  ])('key %j is refused: %s', (key, words) => {
    expect(labelKeyProblem(key)).toContain(words);
  });

  test.each(['', 'v1', 'a.b_c-d', a(63)])('value %j is accepted', (value) => {
    expect(labelValueProblem(value)).toBeUndefined();
  });

  test.each([a(64), '-v', 'v-', 'a/b', 'a b'])('value %j is refused', (value) => {
    expect(labelValueProblem(value)).toBe(`label value "${value}" must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`);
  });
});

describe('integers in a range', () => {
  test('the bounds are inclusive', () => {
    expect(integerProblem(2, 2, 10)).toBeUndefined();
    expect(integerProblem(10, 2, 10)).toBeUndefined();
    expect(integerProblem(1, 2, 10)).toBe('must be between 2 and 10');
    expect(integerProblem(11, 2, 10)).toBe('must be between 2 and 10');
  });

  test.each([2.5, NaN, Infinity, '3' as any])('%p is not a whole number', (value) => {
    expect(integerProblem(value, 0, 100)).toBe('must be a whole number');
  });
});

describe('probe paths', () => {
  test.each(['/', '/healthz', '/ready?full=1', '/a-b_c.d~e/%20'])('%j is accepted', (p) => {
    expect(httpPathProblem(p)).toBeUndefined();
  });

  test.each([['healthz', 'must start with "/"'], ['/a b', 'without spaces'], ['/a\nb', 'without spaces'], ['/a#b', 'without spaces'],
    ['/a"b', 'without spaces']])('%j is refused: %s', (p, words) => {
    expect(httpPathProblem(p)).toContain(words);
  });
});

describe('the HTTP request a probe path makes', () => {
  test.each([
    ['/readyz', '/readyz?', true],
    ['/readyz', '/readyz/', true],
    ['/readyz', '/readyz#x', true],
    ['/health?ready', '/health?live', false],
    ['/health?ready', '/health/?ready', true],
    ['/livez', '/readyz', false],
    ['/', '/?', true],
  ])('%s and %s: same request = %s', (first, second, same) => {
    expect(httpRequestKey(first) === httpRequestKey(second)).toBe(same);
  });
});
