import { AppError } from '../core/errors.ts';
import { isDigest, type Digest } from '../core/digest.ts';

/**
 * A normalised image reference, docker style: `docker.io/library/alpine:latest`.
 * `tag` is `latest` with `tagImplied: true` when the input named neither a tag nor a digest.
 */
export interface ImageReference {
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: Digest;
  readonly tagImplied: boolean;
}

export const DOCKER_HUB = 'docker.io';
const LEGACY_HUB = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
/** distribution/reference NameTotalLengthMax. */
export const MAX_NAME_LENGTH = 255;

// The grammar of distribution/reference (regexp.go), written out piece by piece.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?`;
const ALPHA_NUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHA_NUMERIC}(?:${SEPARATOR}${ALPHA_NUMERIC})*`;
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;

const DOMAIN_RE = new RegExp(`^${DOMAIN_AND_PORT}$`);
const PATH_RE = new RegExp(`^${PATH}$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_SHAPE_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID_RE = /^[a-f0-9]{64}$/;

export type ReferenceProblem =
  | 'empty'
  | 'image-id'
  | 'uppercase'
  | 'name-too-long'
  | 'invalid-domain'
  | 'invalid-path'
  | 'invalid-tag'
  | 'invalid-digest'
  | 'unsupported-digest';

function invalid(input: string, reason: ReferenceProblem, hint: string): AppError {
  return new AppError('IMAGE_REF_INVALID', 'invalid image reference', {
    details: { reference: input.slice(0, 300), reason, hint },
  });
}

/**
 * Splits `host[:port]/path` the way docker's splitDockerDomain does: the first component is a
 * registry only when it contains `.` or `:`, is `localhost`, or has upper-case letters.
 */
function splitDomain(name: string): { domain: string | undefined; path: string } {
  const slash = name.indexOf('/');
  if (slash === -1) return { domain: undefined, path: name };
  const first = name.slice(0, slash);
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost' && first.toLowerCase() === first) {
    return { domain: undefined, path: name };
  }
  return { domain: first, path: name.slice(slash + 1) };
}

/**
 * Parses and normalises an image reference with the grammar of distribution/reference and
 * docker's normalisation (ParseNormalizedNamed + TagNameOnly). Throws IMAGE_REF_INVALID with a
 * `reason` detail.
 */
export function parseReference(input: string): ImageReference {
  if (input.length === 0) throw invalid(input, 'empty', 'the reference is empty');
  if (IMAGE_ID_RE.test(input)) {
    throw invalid(input, 'image-id', 'a bare 64-hex string is an image ID, not a repository name');
  }

  let rest = input;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const digestText = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_SHAPE_RE.test(digestText)) throw invalid(input, 'invalid-digest', 'a digest is algorithm:hex');
    const algorithm = digestText.slice(0, digestText.indexOf(':'));
    if (algorithm !== 'sha256' && algorithm !== 'sha512') {
      throw invalid(input, 'unsupported-digest', 'only sha256 and sha512 digests are supported');
    }
    if (!isDigest(digestText)) {
      throw invalid(input, 'invalid-digest', 'sha256 needs 64 and sha512 128 lower-case hex digits');
    }
    digest = digestText;
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) {
      throw invalid(input, 'invalid-tag', 'a tag is 1-128 of [A-Za-z0-9_.-] and does not start with . or -');
    }
  }

  const name = rest;
  if (name.length === 0) throw invalid(input, 'invalid-path', 'the repository name is missing');
  if (name.length > MAX_NAME_LENGTH) {
    throw invalid(input, 'name-too-long', `the repository name is longer than ${MAX_NAME_LENGTH} characters`);
  }

  const split = splitDomain(name);
  if (split.domain !== undefined && !DOMAIN_RE.test(split.domain)) {
    throw invalid(input, 'invalid-domain', 'the registry host is not a valid host[:port]');
  }
  if (!PATH_RE.test(split.path)) {
    if (PATH_RE.test(split.path.toLowerCase())) {
      throw invalid(input, 'uppercase', 'repository names must be lower-case');
    }
    throw invalid(
      input,
      'invalid-path',
      'path components are lower-case letters and digits separated by ".", "_", "__" or dashes',
    );
  }

  let registry = split.domain ?? DOCKER_HUB;
  if (registry === LEGACY_HUB) registry = DOCKER_HUB;
  let repository = split.path;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `${OFFICIAL_PREFIX}${repository}`;

  const tagImplied = tag === undefined && digest === undefined;
  if (tagImplied) tag = 'latest';
  return {
    registry,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    tagImplied,
  };
}

/** The canonical, fully-qualified form: `docker.io/library/alpine:3.20@sha256:…`. */
export function formatReference(ref: ImageReference): string {
  let out = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** Docker's short name: `alpine`, `user/app`, `ghcr.io/org/app` (no tag or digest). */
export function familiarName(ref: Pick<ImageReference, 'registry' | 'repository'>): string {
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.repository}`;
  const rest = ref.repository.startsWith(OFFICIAL_PREFIX) ? ref.repository.slice(OFFICIAL_PREFIX.length) : ref.repository;
  return rest.includes('/') ? ref.repository : rest;
}

/** Docker's short form with the tag (unless it was implied) and digest: `alpine:3.20`, `alpine`. */
export function familiarString(ref: ImageReference): string {
  let out = familiarName(ref);
  if (ref.tag !== undefined && !ref.tagImplied) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** What to ask a registry for: the digest when there is one (it pins the content), else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** True for a repository path (`library/alpine`, `org/team/app`) as the grammar allows it. */
export function isRepositoryName(value: string): boolean {
  return value.length > 0 && value.length <= MAX_NAME_LENGTH && PATH_RE.test(value);
}

/** True for a tag (`[\w][\w.-]{0,127}`). */
export function isTag(value: string): boolean {
  return TAG_RE.test(value);
}

/** True for a registry host (`host[:port]`, `[ipv6]:port`). */
export function isRegistryHost(value: string): boolean {
  return DOMAIN_RE.test(value);
}
