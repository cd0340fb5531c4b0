/**
 * Where a volume may be mounted in a container. Pure: each function takes paths and answers with a
 * problem or nothing.
 */

/** The service-account token directory the kubelet (or a projected token volume) uses. */
export const SERVICE_ACCOUNT_TOKEN_DIR = '/var/run/secrets/kubernetes.io';
/** The writable scratch directory every container has (a size-limited emptyDir). */
export const TMP_DIR = '/tmp';

/** Kernel and device filesystems: nothing may be mounted at, above or inside them. */
const KERNEL_DIRECTORIES = ['/proc', '/sys', '/dev'];
/** Directories of the image a mount must not hide (mounting inside them, such as `/etc/gateway`, is fine). */
const SYSTEM_DIRECTORIES = ['/bin', '/boot', '/etc', '/home', '/lib', '/lib32', '/lib64', '/libx32', '/opt', '/root', '/run', '/sbin',
  '/srv', '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/sbin', '/var', '/var/lib', '/var/run', '/var/run/secrets', '/etc/ssl', '/etc/ssl/certs'];
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * A mount path: absolute, normalized (no empty, `.` or `..` segment, no trailing `/`), of plain
 * segments (letters, digits, `.`, `_`, `-`), at most 1024 characters, not `/`, not a system
 * directory, nothing in `/proc`, `/sys` or `/dev`.
 */
export function mountPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) {
    return 'must be an absolute path (start with "/")';
  }
  if (path === '/') {
    return 'is the root directory: the mount would hide the whole image';
  }
  if (path.length > 1024) {
    return `must be at most 1024 characters long (it is ${path.length})`;
  }
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    return 'must be normalized: no empty, "." or ".." segment and no trailing "/"';
  }
  if (!segments.every((s) => SEGMENT.test(s))) {
    return 'must consist of segments of letters, digits, ".", "_" and "-"';
  }
  const kernel = KERNEL_DIRECTORIES.find((dir) => overlaps(path, dir));
  if (kernel) {
    return `overlaps ${kernel}, a kernel filesystem of the container`;
  }
  if (SYSTEM_DIRECTORIES.includes(aliasOf(path)) || SYSTEM_DIRECTORIES.includes(path)) {
    return 'is a system directory of the image: the mount would hide its files (libraries, CA certificates, users)';
  }
  return undefined;
}

/**
 * A problem when `path` is, contains or lies inside one of `reservedPaths` (the credentials
 * directory, `/tmp`, the token directory, other mounts). `/run` is read as `/var/run`, which is a
 * symbolic link to it in most images.
 */
export function mountConflictProblem(path: string, reservedPaths: readonly string[]): string | undefined {
  for (const reserved of reservedPaths) {
    for (const candidate of new Set([path, aliasOf(path)])) {
      for (const other of new Set([reserved, aliasOf(reserved)])) {
        if (candidate === other) {
          return `is ${reserved}, which is already mounted`;
        }
        if (overlaps(candidate, other)) {
          return candidate.length < other.length
            ? `contains ${reserved}: the mount would hide it`
            : `is inside ${reserved}: it would hide or change files there`;
        }
      }
    }
  }
  return undefined;
}

/** Whether one path is the other or inside it. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** `/var/run/...` for `/run/...`: the same directory in most images. */
function aliasOf(path: string): string {
  return path === '/run' || path.startsWith('/run/') ? `/var${path}` : path;
}
