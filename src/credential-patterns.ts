/**
 * What looks like a credential: one statement, shared by the guard's NO-KEY-MATERIAL rule (ConfigMaps,
 * literal environment variables) and the props that take literal text (env, command, args, pod
 * annotations), so that what the props accept the guard accepts too.
 */

/** Key names that hold credentials. */
const CREDENTIAL_KEY = /(secret|passw(or)?d|passphrase|api[-_.]?key|access[-_.]?key|private[-_.]?key|token|credential|auth)/i;
/** Values that are key material whatever their key is called: a PEM private key, or a long token-like string. */
const CREDENTIAL_VALUE = /-----BEGIN [A-Z ]*PRIVATE KEY-----|^[A-Za-z0-9+/=_-]{40,}$/;
/** An absolute path of plain segments without `+` or `=`: where a key is, not a key. */
const PLAIN_PATH = /^(\/[A-Za-z0-9._-]+)+\/?$/;

/** Whether a key or variable name says it holds a credential (`api_key`, `TOKEN`, `db-password`, ...). */
export function looksLikeCredentialKey(name: string): boolean {
  return CREDENTIAL_KEY.test(name);
}

/** Whether a value is key material whatever its name: a PEM private key, or 40 or more base64/hex-like characters. */
export function looksLikeCredentialValue(value: string): boolean {
  return CREDENTIAL_VALUE.test(value);
}

/**
 * Whether text (an environment value, an argument) looks like key material. An absolute path is not
 * (`/var/run/secrets/trading/keys/api-key` is where the key is); base64 keys start with `/` rarely and
 * then nearly always carry `+` or `=`. An argument `--name=value` is judged by its value too.
 */
export function looksLikeCredentialText(text: string): boolean {
  const candidates = [text];
  const equals = text.indexOf('=');
  if (equals > 0 && text.startsWith('-')) {
    candidates.push(text.slice(equals + 1));
  }
  return candidates.some((candidate) => looksLikeCredentialValue(candidate) && !PLAIN_PATH.test(candidate));
}

/** Whether a path-like value can only name a file: an absolute path of plain segments. */
export function isPlainPath(value: string): boolean {
  return PLAIN_PATH.test(value);
}
