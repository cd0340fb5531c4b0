/**
 * Container image references, parsed the way the container runtime reads them
 * (the OCI distribution reference grammar), so that "pinned by digest" means what the kubelet pulls.
 */

/** The parts of `[registry/]path[:tag][@sha256:<64 hex>]`. */
export interface ImageReference {
  /** Everything before the tag and digest: registry host (with port) and repository path. */
  readonly repository: string;
  readonly tag?: string;
  /** The hex digest without the `sha256:` prefix. */
  readonly digest?: string;
}

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const REPOSITORY = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const REFERENCE = new RegExp(`^(${REPOSITORY})(?::(${TAG}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[^@]+))?$`);
const SHA256 = /^sha256:([a-f0-9]{64})$/;

/** The result of reading an image string: the reference, or why it is not one. */
export interface ImageParse {
  readonly reference?: ImageReference;
  readonly problem?: string;
}

/** Parses an image reference; a digest other than a well-formed sha256 is reported as a problem. */
export function parseImage(image: string): ImageParse {
  if (typeof image !== 'string' || image.length === 0) {
    return { problem: 'must be a container image reference' };
  }
  const match = REFERENCE.exec(image);
  if (!match) {
    return { problem: 'is not a valid image reference ([registry/]repository[:tag][@sha256:<64 hex>], repository in lower case)' };
  }
  const [, repository, tag, digestText] = match;
  if (repository.length > 255) {
    return { problem: 'has a repository name longer than 255 characters' };
  }
  if (digestText === undefined) {
    return { reference: { repository, tag } };
  }
  const digest = SHA256.exec(digestText);
  if (!digest) {
    return { problem: `has a malformed digest "${digestText}": it must be "sha256:" followed by exactly 64 lower-case hex characters` };
  }
  return { reference: { repository, tag, digest: digest[1] } };
}

/**
 * The repository the way registries and Kyverno name it: Docker Hub's implicit `docker.io` (and
 * `library/` for official images) written out. The first path component is a registry host when it
 * has a dot or a port, or is `localhost`.
 */
export function canonicalRepository(repository: string): string {
  const [first, ...rest] = repository.split('/');
  if (rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    return repository;
  }
  return rest.length === 0 ? `docker.io/library/${first}` : `docker.io/${repository}`;
}

/**
 * An image as Kyverno matches it against `imageReferences`: the canonical repository, then
 * `@sha256:<digest>` when pinned, otherwise `:<tag>` (`latest` when none). Undefined for a string
 * that is not an image reference.
 */
export function kyvernoImageName(image: string): string | undefined {
  const ref = parseImage(image).reference;
  if (!ref) {
    return undefined;
  }
  const repository = canonicalRepository(ref.repository);
  return ref.digest !== undefined ? `${repository}@sha256:${ref.digest}` : `${repository}:${ref.tag ?? 'latest'}`;
}

/**
 * The `imageReferences` that cover every tag and digest of the images' repositories, and no other
 * repository: `<repository>:*` and `<repository>@*` for each, in first-seen order.
 */
export function repositoryImageReferences(images: readonly string[]): string[] {
  const repositories: string[] = [];
  for (const image of images) {
    const ref = parseImage(image).reference;
    const repository = ref ? canonicalRepository(ref.repository) : undefined;
    if (repository !== undefined && !repositories.includes(repository)) {
      repositories.push(repository);
    }
  }
  return repositories.flatMap((r) => [`${r}:*`, `${r}@*`]);
}

/** Whether `text` matches a Kyverno wildcard pattern (`*` any run of characters, `?` one character). */
export function wildcardMatches(pattern: string, text: string): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(text);
}
