/**
 * Literal environment variables and command-line arguments: which names and texts a container may be
 * given. Pure: each function takes a name or a text and answers with a problem or nothing.
 */
import { isPlainPath, looksLikeCredentialKey, looksLikeCredentialText } from './credential-patterns';
import { writtenYamlProblem } from './yaml-strings';

const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names that make a process load or run other code: the dynamic loader's (`LD_*`, `DYLD_*`, `GCONV_PATH`),
 * interpreters' start-up options and module paths, and shells' start-up files. One of these pointing
 * at the writable `/tmp` turns a file write into code execution inside the process holding the keys.
 */
const CODE_INJECTION_NAMES = new Set(['NODE_OPTIONS', 'NODE_PATH', 'PYTHONPATH', 'PYTHONSTARTUP', 'PYTHONHOME', 'PYTHONINSPECT',
  'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS', 'CLASSPATH', 'PERL5OPT', 'PERL5LIB', 'PERLLIB', 'RUBYOPT', 'RUBYLIB',
  'BASH_ENV', 'ENV', 'GCONV_PATH', 'GODEBUG', 'DOTNET_STARTUP_HOOKS']);
const CODE_INJECTION_PREFIXES = ['LD_', 'DYLD_'];

/** Names that point to where a credential is rather than holding it. */
const LOCATION_SUFFIX = /_(FILE|PATH|DIR)$/i;

/**
 * An environment variable name: a C identifier (stricter than Kubernetes, which allows any printable
 * name without `=`; shells and most runtimes read only identifiers), not one the kubelet sets
 * (`KUBERNETES_*`), not one that injects code.
 */
export function envNameProblem(name: string): string | undefined {
  if (!C_IDENTIFIER.test(name)) {
    return 'must be a C identifier: letters, digits and "_", not starting with a digit (shells and most runtimes cannot read other names)';
  }
  if (name.toUpperCase().startsWith('KUBERNETES_')) {
    return 'is under KUBERNETES_, which the kubelet sets (the API server\'s address): overriding it redirects in-cluster clients';
  }
  if (CODE_INJECTION_NAMES.has(name) || CODE_INJECTION_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    return 'makes the process load or run other code (a loader or interpreter option): a file written to /tmp would then run with the keys';
  }
  return undefined;
}

/**
 * A literal environment variable: the value must not be, or be named as, a credential. A `*_FILE`,
 * `*_PATH` or `*_DIR` variable holding an absolute path says where a key is, which is the pattern
 * to use.
 */
export function envCredentialProblem(name: string, value: string): string | undefined {
  const location = LOCATION_SUFFIX.test(name) && isPlainPath(value);
  if (looksLikeCredentialKey(name) && !location && value !== '') {
    return 'has a name that says it holds a credential; literal environment variables are readable in the manifest, /proc, crash dumps and child processes';
  }
  if (looksLikeCredentialText(value)) {
    return 'has a value that looks like key material (a private key or a long token)';
  }
  return undefined;
}

/**
 * Literal text handed to a process (an environment value, an argument): no NUL (a process cannot
 * receive it), nothing kubectl would read as another type.
 */
export function processTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) {
    return 'contains a NUL character, which no process can receive';
  }
  return writtenYamlProblem(text);
}
