import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError, isAppError } from '../../core/errors.ts';
import { digestAlgorithm, digestHex, isDigest, type Digest } from '../../core/digest.ts';
import { parseJsonLimited } from '../json.ts';
import { baseMediaType, DEFAULT_JSON_LIMITS, digestOf, parseManifest } from '../manifest.ts';
import { MANIFEST_ACCEPT, MEDIA_TYPES } from '../media-types.ts';
import { isRegistryHost, isRepositoryName, isTag } from '../reference.ts';
import type { Descriptor, ImageIndex } from '../types.ts';
import { createVerifyingStream } from '../verify-stream.ts';
import { readErrorBody, Transport, type Exchange, type RegistryClientOptions } from './transport.ts';

export type { RegistryClientOptions, RegistryCredentials } from './transport.ts';

/** Where a manifest lives: `reference` is a tag or a digest. */
export interface ManifestLocator {
  readonly registry: string;
  readonly repository: string;
  readonly reference: string;
}

export interface FetchedManifest {
  /** The verified digest: the one asked for, else Docker-Content-Digest (checked), else sha256 of the bytes. */
  readonly digest: Digest;
  /** Content-Type without parameters (or the body's mediaType when the header is missing). */
  readonly mediaType: string;
  readonly bytes: Buffer;
}

export interface ManifestHead {
  readonly digest?: Digest;
  readonly mediaType: string;
  readonly size?: number;
}

export interface GetManifestOptions {
  readonly accept?: string;
  /** Largest manifest accepted (LIMIT_MANIFEST_SIZE beyond). Default 4 MiB. */
  readonly maxBytes?: number;
}

export interface PushBlobResult {
  readonly digest: Digest;
  readonly size: number;
  /** False when the registry already had the blob and nothing was sent. */
  readonly uploaded: boolean;
}

export interface RegistryClient {
  getManifest(ref: ManifestLocator, options?: GetManifestOptions): Promise<FetchedManifest>;
  headManifest(ref: ManifestLocator, options?: { readonly accept?: string }): Promise<ManifestHead>;
  /** Streams a blob, verifying size and digest as it flows (errors are emitted on the stream). */
  getBlob(registry: string, repository: string, descriptor: Pick<Descriptor, 'digest' | 'size'>): Promise<Readable>;
  /** A small blob (config, attestation) in memory, verified. Default maxBytes 4 MiB. */
  getBlobBytes(registry: string, repository: string, descriptor: Pick<Descriptor, 'digest' | 'size'>, options?: { readonly maxBytes?: number }): Promise<Buffer>;
  blobExists(registry: string, repository: string, digest: Digest): Promise<boolean>;
  /** Monolithic upload for bytes, chunked PATCH upload for streams. Skips blobs the registry has unless skipExisting is false. */
  pushBlob(registry: string, repository: string, data: Uint8Array | Readable, digest: Digest, options?: { readonly skipExisting?: boolean }): Promise<PushBlobResult>;
  /** Cross-repository mount; false when the registry did not mount (the caller then uploads). */
  mountBlob(registry: string, repository: string, digest: Digest, fromRepository: string): Promise<boolean>;
  putManifest(ref: ManifestLocator, bytes: Uint8Array, mediaType: string): Promise<Digest>;
  listTags(registry: string, repository: string, options?: { readonly pageSize?: number }): Promise<string[]>;
  /** Referrers API, falling back to the `sha256-<hex>` tag schema when the registry lacks it. */
  getReferrers(registry: string, repository: string, digest: Digest, artifactType?: string): Promise<ImageIndex>;
  deleteManifest(ref: ManifestLocator): Promise<void>;
}

const MAX_TAG_PAGES = 10_000;

function check(registry: string, repository: string): void {
  if (!isRegistryHost(registry)) {
    throw new AppError('IMAGE_REF_INVALID', 'invalid registry host', { details: { registry: registry.slice(0, 300), reason: 'invalid-domain' } });
  }
  if (!isRepositoryName(repository)) {
    throw new AppError('IMAGE_REF_INVALID', 'invalid repository name', { details: { repository: repository.slice(0, 300), reason: 'invalid-path' } });
  }
}

function checkReference(ref: ManifestLocator): void {
  check(ref.registry, ref.repository);
  if (!isDigest(ref.reference) && !isTag(ref.reference)) {
    throw new AppError('IMAGE_REF_INVALID', 'a manifest reference is a tag or a digest', {
      details: { reference: ref.reference.slice(0, 300), reason: 'invalid-tag' },
    });
  }
}

const pull = (repository: string): string => `repository:${repository}:pull`;
const pushPull = (repository: string): string => `repository:${repository}:pull,push`;

/** Reads a whole (small) body with a byte cap, keeping the timeout armed while reading. */
async function readLimited(exchange: Exchange, maxBytes: number, what: Record<string, string>): Promise<Buffer> {
  const { response } = exchange;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    exchange.done();
    throw new AppError('LIMIT_MANIFEST_SIZE', 'content is larger than the configured limit', { details: { ...what, size: declared, limit: maxBytes } });
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    if (response.body !== null) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        exchange.touch();
        total += value.length;
        if (total > maxBytes) {
          await reader.cancel();
          throw new AppError('LIMIT_MANIFEST_SIZE', 'content is larger than the configured limit', { details: { ...what, limit: maxBytes } });
        }
        chunks.push(value);
      }
    }
  } catch (error) {
    throw isAppError(error) ? error : new AppError('OCI_UPSTREAM_FAILED', 'reading from the registry failed', { cause: error, details: what });
  } finally {
    exchange.done();
  }
  return Buffer.concat(chunks, total);
}

/** Reads and discards a response body we do not need, so the connection can be reused. */
async function drain(exchange: Exchange): Promise<void> {
  try {
    await readErrorBody(exchange.response, 64 * 1024);
  } finally {
    exchange.done();
  }
}

function headerDigest(response: Response): Digest | undefined {
  const value = response.headers.get('docker-content-digest')?.trim();
  return value !== undefined && isDigest(value) ? value : undefined;
}

function withQuery(url: URL, params: Record<string, string>): string {
  const next = new URL(url);
  for (const [k, v] of Object.entries(params)) next.searchParams.set(k, v);
  return next.href;
}

function location(exchange: Exchange): URL {
  const value = exchange.response.headers.get('location');
  if (value === null || value === '') {
    throw new AppError('OCI_UPSTREAM_FAILED', 'the registry started an upload without a Location', { details: { path: exchange.url.pathname } });
  }
  return new URL(value, exchange.url);
}

/** `<url>; rel="next"` from a Link header. */
function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(',')) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/i.exec(part);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

/** The tag under which the OCI referrers tag schema stores the referrers of `digest`. */
export function referrersTag(digest: Digest): string {
  return `${digestAlgorithm(digest)}-${digestHex(digest)}`.slice(0, 128);
}

export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const transport = new Transport(options);
  const chunkSize = options.chunkSize ?? 16 * 1024 ** 2;

  async function getManifest(ref: ManifestLocator, opts: GetManifestOptions = {}): Promise<FetchedManifest> {
    checkReference(ref);
    const exchange = await transport.send({
      registry: ref.registry,
      scopes: [pull(ref.repository)],
      method: 'GET',
      url: `/v2/${ref.repository}/manifests/${ref.reference}`,
      headers: { Accept: opts.accept ?? MANIFEST_ACCEPT },
      notFound: 'OCI_MANIFEST_UNKNOWN',
    });
    const bytes = await readLimited(exchange, opts.maxBytes ?? DEFAULT_JSON_LIMITS.maxBytes, { repository: ref.repository, reference: ref.reference });
    const claimed = headerDigest(exchange.response);
    const wanted = isDigest(ref.reference) ? ref.reference : undefined;
    for (const expected of [wanted, claimed]) {
      if (expected === undefined) continue;
      const actual = digestOf(bytes, expected);
      if (actual !== expected) {
        throw new AppError('DIGEST_MISMATCH', 'manifest digest does not match', {
          details: { expected, actual, repository: ref.repository, source: expected === wanted ? 'reference' : 'Docker-Content-Digest' },
        });
      }
    }
    let mediaType = baseMediaType(exchange.response.headers.get('content-type') ?? '');
    if (mediaType === '' || mediaType === 'application/json' || mediaType === 'application/octet-stream') {
      mediaType = mediaTypeOfBody(bytes) ?? mediaType;
    }
    return { digest: wanted ?? claimed ?? digestOf(bytes, 'sha256'), mediaType, bytes };
  }

  async function headManifest(ref: ManifestLocator, opts: { readonly accept?: string } = {}): Promise<ManifestHead> {
    checkReference(ref);
    const exchange = await transport.send({
      registry: ref.registry,
      scopes: [pull(ref.repository)],
      method: 'HEAD',
      url: `/v2/${ref.repository}/manifests/${ref.reference}`,
      headers: { Accept: opts.accept ?? MANIFEST_ACCEPT },
      notFound: 'OCI_MANIFEST_UNKNOWN',
    });
    exchange.done();
    const digest = headerDigest(exchange.response) ?? (isDigest(ref.reference) ? ref.reference : undefined);
    const size = Number(exchange.response.headers.get('content-length') ?? Number.NaN);
    return {
      mediaType: baseMediaType(exchange.response.headers.get('content-type') ?? ''),
      ...(digest !== undefined ? { digest } : {}),
      ...(Number.isSafeInteger(size) && size >= 0 ? { size } : {}),
    };
  }

  async function getBlob(registry: string, repository: string, descriptor: Pick<Descriptor, 'digest' | 'size'>): Promise<Readable> {
    check(registry, repository);
    if (!isDigest(descriptor.digest) || !Number.isSafeInteger(descriptor.size) || descriptor.size < 0) {
      throw new AppError('DIGEST_INVALID', 'a blob descriptor needs a sha256/sha512 digest and a size', { details: { digest: String(descriptor.digest).slice(0, 140) } });
    }
    const exchange = await transport.send({
      registry,
      scopes: [pull(repository)],
      method: 'GET',
      url: `/v2/${repository}/blobs/${descriptor.digest}`,
      notFound: 'OCI_BLOB_UNKNOWN',
    });
    const { response } = exchange;
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared !== descriptor.size && response.headers.get('content-encoding') === null) {
      await response.body?.cancel();
      exchange.done();
      throw new AppError('SIZE_MISMATCH', 'the registry announces a blob size that differs from its descriptor', {
        details: { expected: descriptor.size, actual: declared, digest: descriptor.digest },
      });
    }
    const out = createVerifyingStream(descriptor, () => exchange.touch());
    if (response.body === null) {
      exchange.done();
      out.end();
      return out;
    }
    const source = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
    source.on('error', (error: unknown) => {
      out.destroy(
        isAppError(error)
          ? error
          : new AppError('OCI_UPSTREAM_FAILED', 'the blob download broke off', { cause: error, details: { registry, repository, digest: descriptor.digest } }),
      );
    });
    out.on('close', () => {
      exchange.done();
      if (!source.destroyed) source.destroy();
    });
    source.pipe(out);
    return out;
  }

  async function getBlobBytes(registry: string, repository: string, descriptor: Pick<Descriptor, 'digest' | 'size'>, opts: { readonly maxBytes?: number } = {}): Promise<Buffer> {
    const maxBytes = opts.maxBytes ?? DEFAULT_JSON_LIMITS.maxBytes;
    if (descriptor.size > maxBytes) {
      throw new AppError('LIMIT_MANIFEST_SIZE', 'blob is larger than the configured limit', { details: { size: descriptor.size, limit: maxBytes, digest: descriptor.digest } });
    }
    const stream = await getBlob(registry, repository, descriptor);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function blobExists(registry: string, repository: string, digest: Digest): Promise<boolean> {
    check(registry, repository);
    const exchange = await transport.send({
      registry,
      scopes: [pull(repository)],
      method: 'HEAD',
      url: `/v2/${repository}/blobs/${digest}`,
      accept: [404],
    });
    await drain(exchange);
    return exchange.response.status !== 404;
  }

  async function startUpload(registry: string, repository: string): Promise<URL> {
    const exchange = await transport.send({
      registry,
      scopes: [pushPull(repository)],
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/`,
      headers: { 'Content-Length': '0' },
    });
    await drain(exchange);
    return location(exchange);
  }

  async function cancelUpload(registry: string, repository: string, at: URL): Promise<void> {
    try {
      const exchange = await transport.send({ registry, scopes: [pushPull(repository)], method: 'DELETE', url: at.href, accept: [404] });
      await drain(exchange);
    } catch (error) {
      // Best effort: the registry expires abandoned uploads; the original failure matters more.
      if (!isAppError(error)) throw error;
    }
  }

  async function pushBlob(registry: string, repository: string, data: Uint8Array | Readable, digest: Digest, opts: { readonly skipExisting?: boolean } = {}): Promise<PushBlobResult> {
    check(registry, repository);
    if (!isDigest(digest)) throw new AppError('DIGEST_INVALID', 'not a sha256 or sha512 digest', { details: { digest: String(digest).slice(0, 140) } });
    if (opts.skipExisting !== false && (await blobExists(registry, repository, digest))) {
      if (data instanceof Uint8Array) return { digest, size: data.length, uploaded: false };
      const head = await transport.send({ registry, scopes: [pull(repository)], method: 'HEAD', url: `/v2/${repository}/blobs/${digest}` });
      await drain(head);
      return { digest, size: Number(head.response.headers.get('content-length') ?? 0), uploaded: false };
    }
    if (data instanceof Uint8Array) {
      const actual = digestOf(data, digest);
      if (actual !== digest) throw new AppError('DIGEST_MISMATCH', 'blob bytes do not match the digest to push', { details: { expected: digest, actual } });
      const at = await startUpload(registry, repository);
      const done = await transport.send({
        registry,
        scopes: [pushPull(repository)],
        method: 'PUT',
        url: withQuery(at, { digest }),
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(data.length) },
        body: data,
      });
      await drain(done);
      return { digest, size: data.length, uploaded: true };
    }

    let at = await startUpload(registry, repository);
    const hash = createHash(digestAlgorithm(digest));
    let offset = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      if (pendingBytes === 0) return;
      const chunk = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      const exchange = await transport.send({
        registry,
        scopes: [pushPull(repository)],
        method: 'PATCH',
        url: at.href,
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(chunk.length),
          'Content-Range': `${offset}-${offset + chunk.length - 1}`,
        },
        body: chunk,
      });
      await drain(exchange);
      offset += chunk.length;
      at = location(exchange);
    };
    try {
      for await (const piece of data) {
        const buffer = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
        hash.update(buffer);
        pending.push(buffer);
        pendingBytes += buffer.length;
        if (pendingBytes >= chunkSize) await flush();
      }
      await flush();
      const actual = `${digestAlgorithm(digest)}:${hash.digest('hex')}`;
      if (actual !== digest) throw new AppError('DIGEST_MISMATCH', 'streamed blob does not match the digest to push', { details: { expected: digest, actual } });
      const done = await transport.send({
        registry,
        scopes: [pushPull(repository)],
        method: 'PUT',
        url: withQuery(at, { digest }),
        headers: { 'Content-Length': '0' },
      });
      await drain(done);
    } catch (error) {
      await cancelUpload(registry, repository, at);
      throw error;
    }
    return { digest, size: offset, uploaded: true };
  }

  async function mountBlob(registry: string, repository: string, digest: Digest, fromRepository: string): Promise<boolean> {
    check(registry, repository);
    check(registry, fromRepository);
    const exchange = await transport.send({
      registry,
      scopes: [pushPull(repository), pull(fromRepository)],
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromRepository)}`,
      headers: { 'Content-Length': '0' },
    });
    await drain(exchange);
    if (exchange.response.status === 201) return true;
    if (exchange.response.status === 202) await cancelUpload(registry, repository, location(exchange));
    return false;
  }

  async function putManifest(ref: ManifestLocator, bytes: Uint8Array, mediaType: string): Promise<Digest> {
    checkReference(ref);
    const computed = isDigest(ref.reference) ? digestOf(bytes, ref.reference) : digestOf(bytes, 'sha256');
    if (isDigest(ref.reference) && computed !== ref.reference) {
      throw new AppError('DIGEST_MISMATCH', 'manifest bytes do not match the digest to push', { details: { expected: ref.reference, actual: computed } });
    }
    const exchange = await transport.send({
      registry: ref.registry,
      scopes: [pushPull(ref.repository)],
      method: 'PUT',
      url: `/v2/${ref.repository}/manifests/${ref.reference}`,
      headers: { 'Content-Type': mediaType, 'Content-Length': String(bytes.length) },
      body: bytes,
    });
    await drain(exchange);
    const claimed = headerDigest(exchange.response);
    if (claimed !== undefined && digestOf(bytes, claimed) !== claimed) {
      throw new AppError('DIGEST_MISMATCH', 'the registry stored the manifest under another digest', { details: { expected: computed, actual: claimed } });
    }
    return claimed ?? computed;
  }

  async function listTags(registry: string, repository: string, opts: { readonly pageSize?: number } = {}): Promise<string[]> {
    check(registry, repository);
    const tags: string[] = [];
    let url: string | undefined = `/v2/${repository}/tags/list${opts.pageSize !== undefined ? `?n=${opts.pageSize}` : ''}`;
    let base: URL | undefined;
    for (let page = 0; url !== undefined; page++) {
      if (page >= MAX_TAG_PAGES) throw new AppError('OCI_UPSTREAM_FAILED', 'the registry’s tag list does not end', { details: { registry, repository } });
      const target: string = base === undefined ? url : new URL(url, base).href;
      const exchange = await transport.send({ registry, scopes: [pull(repository)], method: 'GET', url: target, notFound: 'OCI_MANIFEST_UNKNOWN' });
      const bytes = await readLimited(exchange, 16 * 1024 ** 2, { repository });
      const body = parseJsonLimited(bytes, { maxBytes: 16 * 1024 ** 2, maxDepth: 8 }, 'OCI_UPSTREAM_FAILED') as { tags?: unknown };
      if (body.tags !== null && body.tags !== undefined) {
        if (!Array.isArray(body.tags) || body.tags.some((t) => typeof t !== 'string')) {
          throw new AppError('OCI_UPSTREAM_FAILED', 'the registry’s tag list is malformed', { details: { registry, repository } });
        }
        tags.push(...(body.tags as string[]));
      }
      base = exchange.url;
      url = nextLink(exchange.response.headers.get('link'));
    }
    return tags;
  }

  async function getReferrers(registry: string, repository: string, digest: Digest, artifactType?: string): Promise<ImageIndex> {
    check(registry, repository);
    const filter = (index: ImageIndex): ImageIndex =>
      artifactType === undefined ? index : { ...index, manifests: index.manifests.filter((d) => d.artifactType === artifactType) };
    const query = artifactType !== undefined ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
    const exchange = await transport.send({
      registry,
      scopes: [pull(repository)],
      method: 'GET',
      url: `/v2/${repository}/referrers/${digest}${query}`,
      headers: { Accept: MEDIA_TYPES.ociIndex },
      accept: [404],
    });
    if (exchange.response.status !== 404) {
      const bytes = await readLimited(exchange, DEFAULT_JSON_LIMITS.maxBytes, { repository, digest });
      const index = parseManifest(bytes, exchange.response.headers.get('content-type') ?? undefined);
      if (index.kind !== 'index') throw new AppError('OCI_MANIFEST_INVALID', 'the referrers API answered with something other than an index', { details: { repository, digest } });
      const { kind: _kind, ...rest } = index;
      const applied = (exchange.response.headers.get('oci-filters-applied') ?? '').split(',').map((s) => s.trim());
      return applied.includes('artifactType') ? rest : filter(rest);
    }
    await drain(exchange);
    // Fallback: the referrers tag schema (OCI distribution spec 1.1, for registries without the API).
    let fetched: FetchedManifest;
    try {
      fetched = await getManifest({ registry, repository, reference: referrersTag(digest) }, { accept: MEDIA_TYPES.ociIndex });
    } catch (error) {
      if (isAppError(error, 'OCI_MANIFEST_UNKNOWN')) return { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [] };
      throw error;
    }
    const index = parseManifest(fetched.bytes, fetched.mediaType);
    if (index.kind !== 'index') throw new AppError('OCI_MANIFEST_INVALID', 'the referrers tag does not hold an index', { details: { repository, digest } });
    const { kind: _kind, ...rest } = index;
    return filter(rest);
  }

  async function deleteManifest(ref: ManifestLocator): Promise<void> {
    checkReference(ref);
    const exchange = await transport.send({
      registry: ref.registry,
      scopes: [`repository:${ref.repository}:delete`],
      method: 'DELETE',
      url: `/v2/${ref.repository}/manifests/${ref.reference}`,
      notFound: 'OCI_MANIFEST_UNKNOWN',
    });
    await drain(exchange);
  }

  return Object.freeze({
    getManifest,
    headManifest,
    getBlob,
    getBlobBytes,
    blobExists,
    pushBlob,
    mountBlob,
    putManifest,
    listTags,
    getReferrers,
    deleteManifest,
  });
}

function mediaTypeOfBody(bytes: Buffer): string | undefined {
  try {
    const body = parseJsonLimited(bytes, DEFAULT_JSON_LIMITS, 'OCI_MANIFEST_INVALID') as { mediaType?: unknown };
    return typeof body.mediaType === 'string' ? body.mediaType : undefined;
  } catch (error) {
    if (isAppError(error)) return undefined;
    throw error;
  }
}
