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
