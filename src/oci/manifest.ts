import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import '../core/zod.ts';
import { isJsonObject } from '../core/json.ts';
import { AppError } from '../core/errors.ts';
import { digestAlgorithm, isDigest, type Digest } from '../core/digest.ts';
import { parseJsonLimited, type JsonLimits } from './json.ts';
import { INDEX_MEDIA_TYPES, MANIFEST_MEDIA_TYPES, MEDIA_TYPES } from './media-types.ts';
import type { AnyManifest, Descriptor, ImageConfig, ImageIndex, Platform } from './types.ts';

export type { JsonLimits } from './json.ts';

/** Defaults matching config's LimitsSchema (maxManifestBytes, maxJsonDepth). */
export const DEFAULT_JSON_LIMITS: JsonLimits = Object.freeze({ maxBytes: 4 * 1024 ** 2, maxDepth: 64 });

const DOCKER_SCHEMA1 = [
  'application/vnd.docker.distribution.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
];
const GENERIC_CONTENT_TYPES = ['application/json', 'application/octet-stream', 'text/plain'];

/** Outputs Digest: zod classic's .refine narrowed through the isDigest type guard, zod/mini's checks do not (hence the cast). */
type DigestSchema = z.ZodMiniString<string> & z.ZodMiniType<Digest, string>;
const digestSchema = z.string().check(z.refine(isDigest, { message: 'not a sha256/sha512 digest' })) as DigestSchema;
const sizeSchema = z.number().check(z.int(), z.nonnegative(), z.lte(Number.MAX_SAFE_INTEGER));
const annotationsSchema = z.record(z.string(), z.string());
const platformSchema = z.object({
  architecture: z.string(),
  os: z.string(),
  variant: z.optional(z.string()),
  'os.version': z.optional(z.string()),
  'os.features': z.optional(z.array(z.string())),
});
const descriptorSchema = z.object({
  mediaType: z.string().check(z.minLength(1)),
  digest: digestSchema,
  size: sizeSchema,
  urls: z.optional(z.array(z.string())),
  annotations: z.optional(annotationsSchema),
  platform: z.optional(platformSchema),
  artifactType: z.optional(z.string()),
});
const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.optional(z.string()),
  artifactType: z.optional(z.string()),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  subject: z.optional(descriptorSchema),
  annotations: z.optional(annotationsSchema),
});
const indexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.optional(z.string()),
  artifactType: z.optional(z.string()),
  manifests: z.array(descriptorSchema),
  subject: z.optional(descriptorSchema),
  annotations: z.optional(annotationsSchema),
});

type ParsedDescriptor = z.infer<typeof descriptorSchema>;

/** Drops undefined optionals so the result satisfies exactOptionalPropertyTypes. */
function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function toDescriptor(d: ParsedDescriptor): Descriptor {
  return clean({ ...d, digest: d.digest as Digest, platform: d.platform ? (clean(d.platform) as Platform) : undefined }) as Descriptor;
}

/** `application/json; charset=utf-8` → `application/json`. */
export function baseMediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function zodDetails(error: z.core.$ZodError): { path: string; problem: string } {
  const issue = error.issues[0];
  return { path: issue ? issue.path.join('.') : '', problem: issue ? issue.message.slice(0, 200) : 'invalid' };
}

/**
 * Parses an image manifest or index (OCI or Docker schema 2) from untrusted bytes. The body's
 * mediaType must agree with `contentType` when both are specific. Schema 1 is refused with
 * OCI_MANIFEST_UNSUPPORTED, anything malformed with OCI_MANIFEST_INVALID.
 */
export function parseManifest(bytes: Uint8Array, contentType?: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): AnyManifest {
  const body = parseJsonLimited(bytes, limits, 'OCI_MANIFEST_INVALID');
  if (!isJsonObject(body)) {
    throw new AppError('OCI_MANIFEST_INVALID', 'manifest is not a JSON object');
  }
  const header = contentType === undefined ? undefined : baseMediaType(contentType);
  const bodyType = typeof body['mediaType'] === 'string' ? body['mediaType'] : undefined;

  if (body['schemaVersion'] === 1 || DOCKER_SCHEMA1.includes(bodyType ?? '') || DOCKER_SCHEMA1.includes(header ?? '')) {
    throw new AppError('OCI_MANIFEST_UNSUPPORTED', 'Docker schema 1 manifests are not supported', {
      details: { mediaType: bodyType ?? header ?? 'schemaVersion 1' },
    });
  }
  const specificHeader = header !== undefined && header !== '' && !GENERIC_CONTENT_TYPES.includes(header) ? header : undefined;
  if (specificHeader !== undefined && bodyType !== undefined && specificHeader !== bodyType) {
    throw new AppError('OCI_MANIFEST_INVALID', 'manifest mediaType disagrees with its content type', {
      details: { mediaType: bodyType.slice(0, 200), contentType: specificHeader.slice(0, 200) },
    });
  }
  let mediaType = bodyType ?? specificHeader;
  if (mediaType === undefined) {
    // OCI allows an absent mediaType; decide by shape, refusing the ambiguous case.
    const hasManifests = 'manifests' in body;
    const hasConfig = 'config' in body || 'layers' in body;
    if (hasManifests === hasConfig) {
      throw new AppError('OCI_MANIFEST_INVALID', 'manifest has no mediaType and an ambiguous shape');
    }
    mediaType = hasManifests ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest;
  }

  if (MANIFEST_MEDIA_TYPES.includes(mediaType)) {
    if ('manifests' in body) throw new AppError('OCI_MANIFEST_INVALID', 'image manifest has a manifests field');
    const parsed = manifestSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError('OCI_MANIFEST_INVALID', 'image manifest does not have the expected shape', { details: zodDetails(parsed.error) });
    }
    const m = parsed.data;
    return clean({
      kind: 'manifest' as const,
      schemaVersion: 2 as const,
      mediaType,
      artifactType: m.artifactType,
      config: toDescriptor(m.config),
      layers: m.layers.map(toDescriptor),
      subject: m.subject ? toDescriptor(m.subject) : undefined,
      annotations: m.annotations,
    }) as AnyManifest;
  }
  if (INDEX_MEDIA_TYPES.includes(mediaType)) {
    if ('config' in body || 'layers' in body) throw new AppError('OCI_MANIFEST_INVALID', 'image index has config or layers');
    const parsed = indexSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError('OCI_MANIFEST_INVALID', 'image index does not have the expected shape', { details: zodDetails(parsed.error) });
    }
    const m = parsed.data;
    return clean({
      kind: 'index' as const,
      schemaVersion: 2 as const,
      mediaType,
      artifactType: m.artifactType,
      manifests: m.manifests.map(toDescriptor),
      subject: m.subject ? toDescriptor(m.subject) : undefined,
      annotations: m.annotations,
    }) as AnyManifest;
  }
  throw new AppError('OCI_MANIFEST_UNSUPPORTED', 'unsupported manifest media type', { details: { mediaType: mediaType.slice(0, 200) } });
}

const stringList = z.optional(z.nullable(z.array(z.string())));
const configSchema = z.object({
  architecture: z.optional(z.string()),
  os: z.optional(z.string()),
  variant: z.optional(z.string()),
  created: z.optional(z.string()),
  author: z.optional(z.string()),
  config: z.optional(
    z.nullable(
      z.object({
        User: z.optional(z.string()),
        Entrypoint: stringList,
        Cmd: stringList,
        Env: stringList,
        WorkingDir: z.optional(z.string()),
        Labels: z.optional(z.nullable(z.record(z.string(), z.string()))),
        ExposedPorts: z.optional(z.nullable(z.record(z.string(), z.looseObject({})))),
        Volumes: z.optional(z.nullable(z.record(z.string(), z.looseObject({})))),
        StopSignal: z.optional(z.string()),
        Healthcheck: z.optional(
          z.nullable(
            z.object({
              Test: z.optional(z.array(z.string())),
              Interval: z.optional(z.number()),
              Timeout: z.optional(z.number()),
              StartPeriod: z.optional(z.number()),
              Retries: z.optional(z.number()),
            }),
          ),
        ),
      }),
    ),
  ),
  rootfs: z.optional(z.object({ type: z.string(), diff_ids: z.array(digestSchema) })),
  history: z.optional(
    z.array(
      z.object({
        created: z.optional(z.string()),
        created_by: z.optional(z.string()),
        comment: z.optional(z.string()),
        empty_layer: z.optional(z.boolean()),
      }),
    ),
  ),
});

function deepClean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepClean);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, deepClean(v)]),
    );
  }
  return value;
}

/** Parses an image configuration blob (OCI or Docker); OCI_CONFIG_INVALID when malformed. */
export function parseImageConfig(bytes: Uint8Array, limits: JsonLimits = DEFAULT_JSON_LIMITS): ImageConfig {
  const doc = parseJsonLimited(bytes, limits, 'OCI_CONFIG_INVALID');
  if (!isJsonObject(doc)) {
    throw new AppError('OCI_CONFIG_INVALID', 'image config is not a JSON object');
  }
  const parsed = configSchema.safeParse(doc);
  if (!parsed.success) {
    throw new AppError('OCI_CONFIG_INVALID', 'image config does not have the expected shape', { details: zodDetails(parsed.error) });
  }
  const { config, ...rest } = parsed.data;
  return deepClean({ ...rest, ...(config ? { config } : {}) }) as ImageConfig;
}

// ---- platforms ----

const NODE_ARCH_TO_OCI: Readonly<Record<string, string>> = Object.freeze({
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
});

const ARCH_ALIASES: Readonly<Record<string, { architecture: string; variant?: string }>> = Object.freeze({
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armel: { architecture: 'arm', variant: 'v6' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
});

const KNOWN_OS = ['linux', 'windows', 'darwin', 'freebsd', 'netbsd', 'openbsd', 'solaris', 'illumos', 'aix', 'plan9', 'js', 'wasip1'];

/** The platform this process runs on, in OCI names (linux/<arch>[/variant]). */
export function hostPlatform(nodeArch: string = process.arch): Platform {
  const architecture = NODE_ARCH_TO_OCI[nodeArch] ?? nodeArch;
  return architecture === 'arm' ? { os: 'linux', architecture, variant: 'v7' } : { os: 'linux', architecture };
}

/** Parses `os/arch[/variant]` (or a bare arch, with os linux), accepting common aliases. */
export function parsePlatform(text: string): Platform {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => !/^[a-z0-9._-]+$/.test(p))) {
    throw new AppError('INPUT_INVALID', 'a platform is os/architecture[/variant]', { details: { platform: text.slice(0, 100) } });
  }
  let os: string;
  let arch: string;
  let variant: string | undefined;
  if (parts.length === 1) {
    const only = parts[0] ?? '';
    if (KNOWN_OS.includes(only)) return { ...hostPlatform(), os: only };
    os = 'linux';
    arch = only;
  } else {
    os = parts[0] ?? '';
    arch = parts[1] ?? '';
    variant = parts[2];
  }
  const alias = ARCH_ALIASES[arch];
  const architecture = alias?.architecture ?? arch;
  const finalVariant = variant ?? alias?.variant;
  return finalVariant !== undefined ? { os, architecture, variant: finalVariant } : { os, architecture };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((x) => x !== undefined && x !== '').join('/');
}

/** containerd-style normalisation: arm64 → v8, arm → v7, amd64/v1 → no variant. */
function normalise(p: Platform): { os: string; architecture: string; variant: string } {
  const alias = ARCH_ALIASES[p.architecture.toLowerCase()];
  const architecture = alias?.architecture ?? p.architecture.toLowerCase();
  let variant = (p.variant ?? alias?.variant ?? '').toLowerCase();
  if (architecture === 'arm64' && variant === '') variant = 'v8';
  if (architecture === 'arm' && variant === '') variant = 'v7';
  if (architecture === 'amd64' && variant === 'v1') variant = '';
  return { os: p.os.toLowerCase(), architecture, variant };
}

/** Attestation manifests (BuildKit) and other platform-less entries are not runnable images. */
export function isAttestation(d: Descriptor): boolean {
  if (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  return d.platform?.os === 'unknown' && d.platform.architecture === 'unknown';
}

/**
 * Picks the manifest for a platform from an index (default: linux/<host arch>). Throws
 * PLATFORM_NOT_FOUND with the available platforms in details.
 */
export function selectPlatform(index: Pick<ImageIndex, 'manifests'>, wanted: Platform = hostPlatform()): Descriptor {
  const want = normalise(wanted);
  const candidates = index.manifests.filter((d) => d.platform !== undefined && !isAttestation(d));
  const match = candidates.find((d) => {
    const have = normalise(d.platform as Platform);
    return have.os === want.os && have.architecture === want.architecture && have.variant === want.variant;
  });
  if (match !== undefined) return match;
  throw new AppError('PLATFORM_NOT_FOUND', 'the image index has no manifest for the wanted platform', {
    details: {
      wanted: formatPlatform(wanted),
      available: candidates.map((d) => formatPlatform(d.platform as Platform)).join(', ') || 'none',
    },
  });
}

// ---- digests ----

export function sha256Digest(bytes: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The digest of `bytes` with the algorithm of `like` (sha256 or sha512). */
export function digestOf(bytes: Uint8Array, like: Digest | 'sha256' | 'sha512' = 'sha256'): Digest {
  const algorithm = like === 'sha256' || like === 'sha512' ? like : digestAlgorithm(like);
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Checks bytes against a descriptor: SIZE_MISMATCH, then DIGEST_MISMATCH. */
export function verifyBytes(bytes: Uint8Array, descriptor: Pick<Descriptor, 'digest' | 'size'>): void {
  if (bytes.length !== descriptor.size) {
    throw new AppError('SIZE_MISMATCH', 'content size does not match its descriptor', {
      details: { expected: descriptor.size, actual: bytes.length, digest: descriptor.digest },
    });
  }
  const actual = digestOf(bytes, descriptor.digest);
  if (actual !== descriptor.digest) {
    throw new AppError('DIGEST_MISMATCH', 'content digest does not match its descriptor', {
      details: { expected: descriptor.digest, actual },
    });
  }
}
