import { isPlainPath, looksLikeCredentialKey, looksLikeCredentialText, looksLikeCredentialValue } from '../src/credential-patterns';
import { envCredentialProblem, envNameProblem, processTextProblem } from '../src/env-vars';
import { mountConflictProblem, mountPathProblem } from '../src/mount-paths';
import { writtenAsNonString } from '../src/yaml-strings';

describe('mountPathProblem', () => {
  test.each<[string, string | undefined]>([
    ['/etc/gateway', undefined],
    ['/srv/gateway/config', undefined],
    ['/etc/ssl/private-gateway', undefined],
    ['etc/gateway', 'absolute'],
    ['/', 'root directory'],
    ['/etc/gateway/', 'normalized'],
    ['/etc//gateway', 'normalized'],
    ['/etc/./gateway', 'normalized'],
    ['/etc/../gateway', 'normalized'],
    ['/etc/gate way', 'segments'],
    ['/etc/gate:way', 'segments'],
    ['/etc', 'system directory'],
    ['/usr/lib', 'system directory'],
    ['/etc/ssl/certs', 'system directory'],
    ['/run', 'system directory'],
    ['/proc', 'kernel filesystem'],
    ['/sys/fs/cgroup', 'kernel filesystem'],
    ['/dev/shm', 'kernel filesystem'],
    [`/${'a'.repeat(1024)}`, 'at most 1024'],
  ])('%s', (path, words) => {
    const problem = mountPathProblem(path);
    if (words === undefined) {
      expect(problem).toBeUndefined();
    } else {
      expect(problem).toContain(words);
    }
  });
});

describe('mountConflictProblem: the hook for any reserved directory (the credentials directory, however configured)', () => {
  const reserved = ['/tmp', '/var/run/secrets/trading'];
  test.each<[string, string | undefined]>([
    ['/etc/gateway', undefined],
    ['/tmpfiles', undefined],
    ['/var/run/secrets/trading-config', undefined],
    ['/tmp', 'is /tmp'],
    ['/tmp/x', 'inside /tmp'],
    ['/var/run/secrets/trading/exchange-keys', 'inside /var/run/secrets/trading'],
    ['/var/run/secrets', 'contains /var/run/secrets/trading'],
    ['/run/secrets/trading', 'is /var/run/secrets/trading'],
    ['/run/secrets', 'contains /var/run/secrets/trading'],
  ])('%s', (path, words) => {
    const problem = mountConflictProblem(path, reserved);
    if (words === undefined) {
      expect(problem).toBeUndefined();
    } else {
      expect(problem).toContain(words);
    }
  });

  test('a reserved path written under /run is read as /var/run too', () => {
    expect(mountConflictProblem('/var/run/keys/a', ['/run/keys'])).toContain('inside /run/keys');
  });
});

describe('environment names and values', () => {
  test.each(['LOG_LEVEL', '_X', 'a1', 'HTTP_PROXY'])('%s is a valid name', (name) => expect(envNameProblem(name)).toBeUndefined());
  test.each<[string, string]>([
    ['1A', 'C identifier'], ['A-B', 'C identifier'], ['A=B', 'C identifier'], ['', 'C identifier'], ['A B', 'C identifier'],
    ['KUBERNETES_SERVICE_HOST', 'KUBERNETES_'], ['kubernetes_port', 'KUBERNETES_'],
    ['LD_PRELOAD', 'other code'], ['LD_LIBRARY_PATH', 'other code'], ['DYLD_INSERT_LIBRARIES', 'other code'], ['PYTHONPATH', 'other code'],
    ['JAVA_TOOL_OPTIONS', 'other code'], ['BASH_ENV', 'other code'],
  ])('%s is refused', (name, words) => expect(envNameProblem(name)).toContain(words));

  test.each<[string, string, boolean]>([
    ['LOG_LEVEL', 'info', false],
    ['API_KEY_FILE', '/var/run/secrets/trading/keys/api-key', false],
    ['TOKEN_DIR', '/var/run/secrets/trading/keys', false],
    ['AUTH_TIMEOUT', '', false],
    ['API_KEY', 'x', true],
    ['API_KEY_FILE', 'relative/path', true],
    ['API_KEY_FILE', '/var/run/secrets/a+b=', true],
    ['PASSWORD', 'p', true],
    ['SETTING', 'AKIAIOSFODNN7EXAMPLEwJalrXUtnFEMIK7MDENG', true],
    ['SETTING', '/var/run/secrets/trading/exchange-keys/api-secret-primary', false],
  ])('%s=%s: looks like a credential: %s', (name, value, credential) => {
    expect(envCredentialProblem(name, value) !== undefined).toBe(credential);
  });

  test('process text: NUL and unquoted non-strings refused, ordinary and quoted ones kept', () => {
    expect(processTextProblem('a\u0000')).toContain('NUL');
    expect(processTextProblem('0o17')).toContain('YAML');
    for (const text of ['', 'yes', '0x1F', '8080', 'true', 'info', '--flag=1']) {
      expect(processTextProblem(text)).toBeUndefined();
    }
  });
});

describe('credential patterns shared with the guard', () => {
  test('keys, values, text and paths', () => {
    expect(looksLikeCredentialKey('api-key')).toBe(true);
    expect(looksLikeCredentialKey('log-level')).toBe(false);
    expect(looksLikeCredentialValue('-----BEGIN EC PRIVATE KEY-----')).toBe(true);
    expect(looksLikeCredentialValue('a'.repeat(39))).toBe(false);
    expect(looksLikeCredentialValue('a'.repeat(40))).toBe(true);
    expect(looksLikeCredentialText(`--secret=${'b'.repeat(40)}`)).toBe(true);
    expect(looksLikeCredentialText(`-k=${'b'.repeat(40)}`)).toBe(true);
    expect(looksLikeCredentialText(`key=${'b'.repeat(20)}`)).toBe(false);
    expect(looksLikeCredentialText('/var/run/secrets/trading/exchange-keys/api-secret-primary')).toBe(false);
    expect(looksLikeCredentialText(`/${'c'.repeat(40)}+`)).toBe(true);
    expect(isPlainPath('/a/b')).toBe(true);
    expect(isPlainPath('a/b')).toBe(false);
  });

  test('writtenAsNonString: only what cdk8s leaves unquoted', () => {
    expect(writtenAsNonString('0o17')).toBe(true);
    expect(writtenAsNonString('yes')).toBe(false);
    expect(writtenAsNonString('info')).toBe(false);
  });
});
