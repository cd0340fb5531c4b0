/**
 * Container paths: where volumes are mounted. A mount over a system directory hides what the image or
 * the kernel put there; two nested mounts hide each other's files; a mount under `/tmp` shares the
 * writable scratch space with the keys.
 */

/** Directories no volume of the library's pods is mounted over or under. */
export const RESERVED_MOUNT_ROOTS = ['/proc', '/sys', '/dev', '/tmp', '/var/run/secrets/kubernetes.io', '/run/secrets/kubernetes.io'];

/** Whether one path is the other or lies below it (`/a` and `/a/b`, never `/a` and `/ab`). */
export function pathsOverlap(a: string, b: string): boolean {
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer.endsWith('/') ? outer : `${outer}/`);
  return within(a, b) || within(b, a);
}

/**
 * A problem when `value` is not an absolute, normalized container path where a volume may be mounted:
 * no empty, `.` or `..` segment, no trailing slash, printable ASCII without `:` (which the kubelet
 * reads as a volume separator on some runtimes), not `/`, and not over or under a reserved root.
 */
export function mountPathProblem(value: string): string | undefined {
  if (!value.startsWith('/')) {
    return 'must be an absolute path';
  }
  if (value.length > 1024) {
    return 'must be at most 1024 characters long';
  }
  if (!/^[\x21-\x7e]+$/.test(value) || value.includes(':') || value.includes('\\')) {
    return 'must be printable ASCII without spaces, ":" or "\\"';
  }
  if (value === '/') {
    return 'must not be the root directory';
  }
  const segments = value.slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    return 'must be normalized: no empty, "." or ".." segment and no trailing slash';
  }
  const reserved = RESERVED_MOUNT_ROOTS.find((root) => pathsOverlap(value, root));
  if (reserved) {
    return `overlaps ${reserved}, which the kernel, the runtime, Kubernetes or the writable scratch space own`;
  }
  return undefined;
}
