import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.ts';
import type { Digest } from '../../core/digest.ts';
import { peersAvailable } from '../../testing/peers.ts';
import { startRegistry, type TestRegistry } from '../../testing/registry.ts';
import { parseManifest } from '../manifest.ts';
import { MEDIA_TYPES } from '../media-types.ts';
import type { Descriptor } from '../types.ts';
import { createRegistryClient, referrersTag, type RegistryClientOptions } from './registry-client.ts';

const exec = promisify(execFile);
const available = peersAvailable('docker-registry', 'skopeo', 'openssl');

const sha256 = (b: Uint8Array): Digest => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isAppError(error) ? error.code : `not-an-app-error: ${String(error)}`;
  }
  return undefined;
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A one-file tar, written by hand (ustar header + content + two zero blocks). */
function tinyTar(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

interface TinyImage {
  readonly layer: Buffer;
  readonly config: Buffer;
  readonly manifest: Buffer;
  readonly layerDescriptor: Descriptor;
  readonly configDescriptor: Descriptor;
}

function tinyImage(text: string): TinyImage {
  const tar = tinyTar('hello.txt', Buffer.from(text));
  const layer = gzipSync(tar);
  const config = json({
    architecture: 'amd64',
    os: 'linux',
    config: { Cmd: ['/hello'] },
    rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
  });
  const layerDescriptor: Descriptor = { mediaType: MEDIA_TYPES.ociLayerGzip, digest: sha256(layer), size: layer.length };
  const configDescriptor: Descriptor = { mediaType: MEDIA_TYPES.ociConfig, digest: sha256(config), size: config.length };
  const manifest = json({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, config: configDescriptor, layers: [layerDescriptor] });
  return { layer, config, manifest, layerDescriptor, configDescriptor };
}

/** Writes an OCI image layout folder holding one image tagged `tag`. */
async function writeLayout(dir: string, image: TinyImage, tag: string): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const blob of [image.layer, image.config, image.manifest]) {
    await writeFile(join(dir, 'blobs', 'sha256', sha256(blob).slice(7)), blob);
  }
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: MEDIA_TYPES.ociManifest, digest: sha256(image.manifest), size: image.manifest.length, annotations: { 'org.opencontainers.image.ref.name': tag } }],
    }),
  );
}

async function pushImage(client: ReturnType<typeof createRegistryClient>, host: string, repo: string, tag: string, image: TinyImage): Promise<Digest> {
  await client.pushBlob(host, repo, image.layer, image.layerDescriptor.digest);
  await client.pushBlob(host, repo, image.config, image.configDescriptor.digest);
  return client.putManifest({ registry: host, repository: repo, reference: tag }, image.manifest, MEDIA_TYPES.ociManifest);
}

/** A fetch that lets a test tamper with responses from the real registry. */
function tamperingFetch(tamper: (url: URL, response: Response) => Promise<Response> | Response): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    return tamper(new URL(String(input instanceof Request ? input.url : input)), response);
  };
}

async function corrupt(response: Response): Promise<Response> {
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > 0) body[body.length >> 1] = (body[body.length >> 1] ?? 0) ^ 0xff;
  return new Response(body, { status: response.status, headers: response.headers });
}

describe.skipIf(!available)('registry client against a real docker-registry (anonymous)', () => {
  let registry: TestRegistry;
  let host: string;
  let options: RegistryClientOptions;
  const image = tinyImage('hello from tollgate\n');
  let manifestDigest: Digest;
  let scratch: string;

  beforeAll(async () => {
    registry = await startRegistry();
    host = registry.host;
    options = { insecure: [host], retries: 2, backoffMs: 5, timeoutMs: 10_000 };
    scratch = await mkdtemp(join(tmpdir(), 'tollgate-client-test-'));
    manifestDigest = await pushImage(createRegistryClient(options), host, 'tollgate/tiny', '1', image);
  });

  afterAll(async () => {
    await registry?.stop();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it('pulls back what it pushed, by tag and by digest, verified', async () => {
    const client = createRegistryClient(options);
    expect(manifestDigest).toBe(sha256(image.manifest));
    const byTag = await client.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' });
    expect(byTag.digest).toBe(manifestDigest);
    expect(byTag.mediaType).toBe(MEDIA_TYPES.ociManifest);
    expect(byTag.bytes.equals(image.manifest)).toBe(true);
    const byDigest = await client.getManifest({ registry: host, repository: 'tollgate/tiny', reference: manifestDigest });
    expect(byDigest.bytes.equals(image.manifest)).toBe(true);
    const head = await client.headManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' });
    expect(head).toEqual({ digest: manifestDigest, mediaType: MEDIA_TYPES.ociManifest, size: image.manifest.length });

    const parsed = parseManifest(byTag.bytes, byTag.mediaType);
    if (parsed.kind !== 'manifest') throw new Error('expected a manifest');
    const layer = await drain(await client.getBlob(host, 'tollgate/tiny', parsed.layers[0] as Descriptor));
    expect(layer.equals(image.layer)).toBe(true);
    const config = await client.getBlobBytes(host, 'tollgate/tiny', parsed.config);
    expect(config.equals(image.config)).toBe(true);
    expect(await client.blobExists(host, 'tollgate/tiny', image.layerDescriptor.digest)).toBe(true);
    expect(await client.blobExists(host, 'tollgate/tiny', sha256(Buffer.from('absent')))).toBe(false);
  });

  it('pushes a stream in chunks (PATCH) and reads it back', async () => {
    const client = createRegistryClient({ ...options, chunkSize: 64 * 1024 });
    const data = randomBytes(300 * 1024 + 17);
    const digest = sha256(data);
    const pieces = Array.from({ length: Math.ceil(data.length / 10_000) }, (_, i) => data.subarray(i * 10_000, (i + 1) * 10_000));
    const result = await client.pushBlob(host, 'tollgate/stream', Readable.from(pieces), digest);
    expect(result).toEqual({ digest, size: data.length, uploaded: true });
    const back = await drain(await client.getBlob(host, 'tollgate/stream', { digest, size: data.length }));
    expect(back.equals(data)).toBe(true);
    const again = await client.pushBlob(host, 'tollgate/stream', data, digest);
    expect(again.uploaded).toBe(false);
  });

  it('refuses to push bytes that do not match the digest, buffered or streamed', async () => {
    const client = createRegistryClient(options);
    const wrong = sha256(Buffer.from('something else'));
    expect(await codeOf(client.pushBlob(host, 'tollgate/bad', Buffer.from('data'), wrong))).toBe('DIGEST_MISMATCH');
    expect(await codeOf(client.pushBlob(host, 'tollgate/bad', Readable.from([Buffer.from('data')]), wrong))).toBe('DIGEST_MISMATCH');
    expect(await client.blobExists(host, 'tollgate/bad', wrong)).toBe(false);
  });

  it('mounts a blob across repositories', async () => {
    const client = createRegistryClient(options);
    expect(await client.mountBlob(host, 'tollgate/mounted', image.layerDescriptor.digest, 'tollgate/tiny')).toBe(true);
    expect(await client.blobExists(host, 'tollgate/mounted', image.layerDescriptor.digest)).toBe(true);
    expect(await client.mountBlob(host, 'tollgate/mounted2', sha256(Buffer.from('nope')), 'tollgate/tiny')).toBe(false);
  });

  it('lists tags, following Link pagination', async () => {
    const client = createRegistryClient(options);
    for (const tag of ['a', 'b', 'c', 'd', 'e']) await pushImage(client, host, 'tollgate/tags', tag, image);
    // distribution 2.8 ignores `n` for tag lists, so a wrapper pages the real list the way the
    // distribution spec describes (n, last, Link: <…>; rel="next") to exercise the client's paging.
    const pages: string[] = [];
    const paging = createRegistryClient({
      ...options,
      fetch: async (input, init) => {
        const url = new URL(String(input));
        if (!url.pathname.endsWith('/tags/list')) return fetch(input, init);
        pages.push(url.search);
        const real = new URL(url);
        real.search = '';
        const all = ((await (await fetch(real, init)).json()) as { name: string; tags: string[] }).tags.sort();
        const n = Number(url.searchParams.get('n') ?? all.length);
        const last = url.searchParams.get('last');
        const start = last === null ? 0 : all.indexOf(last) + 1;
        const page = all.slice(start, start + n);
        const headers = new Headers({ 'content-type': 'application/json' });
        if (start + n < all.length) headers.set('link', `</v2/tollgate/tags/tags/list?n=${n}&last=${page[page.length - 1] ?? ''}>; rel="next"`);
        return new Response(JSON.stringify({ name: 'tollgate/tags', tags: page }), { status: 200, headers });
      },
    });
    expect(await paging.listTags(host, 'tollgate/tags', { pageSize: 2 })).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(pages).toEqual(['?n=2', '?n=2&last=b', '?n=2&last=d']);
    expect((await client.listTags(host, 'tollgate/tags')).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('finds referrers through the tag-schema fallback on distribution 2.8', async () => {
    const client = createRegistryClient(options);
    const subject: Descriptor = { mediaType: MEDIA_TYPES.ociManifest, digest: manifestDigest, size: image.manifest.length };
    expect((await client.getReferrers(host, 'tollgate/tiny', manifestDigest)).manifests).toEqual([]);

    const empty = Buffer.from('{}');
    await client.pushBlob(host, 'tollgate/tiny', empty, sha256(empty));
    const sbom = json({ bomFormat: 'CycloneDX' });
    await client.pushBlob(host, 'tollgate/tiny', sbom, sha256(sbom));
    const artifact = json({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      artifactType: 'application/vnd.cyclonedx+json',
      config: { mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: 2 },
      layers: [{ mediaType: 'application/vnd.cyclonedx+json', digest: sha256(sbom), size: sbom.length }],
      subject,
    });
    const artifactDigest = await client.putManifest({ registry: host, repository: 'tollgate/tiny', reference: sha256(artifact) }, artifact, MEDIA_TYPES.ociManifest);
    const index = json({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociIndex,
      manifests: [{ mediaType: MEDIA_TYPES.ociManifest, digest: artifactDigest, size: artifact.length, artifactType: 'application/vnd.cyclonedx+json' }],
    });
    await client.putManifest({ registry: host, repository: 'tollgate/tiny', reference: referrersTag(manifestDigest) }, index, MEDIA_TYPES.ociIndex);

    const referrers = await client.getReferrers(host, 'tollgate/tiny', manifestDigest);
    expect(referrers.manifests.map((d) => d.digest)).toEqual([artifactDigest]);
    expect((await client.getReferrers(host, 'tollgate/tiny', manifestDigest, 'application/vnd.cyclonedx+json')).manifests).toHaveLength(1);
    expect((await client.getReferrers(host, 'tollgate/tiny', manifestDigest, 'application/spdx+json')).manifests).toHaveLength(0);
  });

  it('deletes manifests and reports unknown manifests and blobs', async () => {
    const client = createRegistryClient(options);
    const other = tinyImage('to be deleted\n');
    const digest = await pushImage(client, host, 'tollgate/delete', 'x', other);
    await client.deleteManifest({ registry: host, repository: 'tollgate/delete', reference: digest });
    expect(await codeOf(client.getManifest({ registry: host, repository: 'tollgate/delete', reference: digest }))).toBe('OCI_MANIFEST_UNKNOWN');
    expect(await codeOf(client.getManifest({ registry: host, repository: 'tollgate/none', reference: 'latest' }))).toBe('OCI_MANIFEST_UNKNOWN');
    expect(await codeOf(client.getBlob(host, 'tollgate/tiny', { digest: sha256(Buffer.from('x')), size: 1 }))).toBe('OCI_BLOB_UNKNOWN');
    expect(await codeOf(client.deleteManifest({ registry: host, repository: 'tollgate/delete', reference: digest }))).toBe('OCI_MANIFEST_UNKNOWN');
  });

  it('catches a corrupted blob while streaming and never yields a clean end', async () => {
    const client = createRegistryClient({ ...options, fetch: tamperingFetch((url, r) => (url.pathname.includes('/blobs/') ? corrupt(r) : r)) });
    const stream = await client.getBlob(host, 'tollgate/tiny', image.layerDescriptor);
    expect(await codeOf(drain(stream))).toBe('DIGEST_MISMATCH');
    expect(await codeOf(client.getBlobBytes(host, 'tollgate/tiny', image.configDescriptor))).toBe('DIGEST_MISMATCH');
  });

  it('catches a blob of the wrong size', async () => {
    const client = createRegistryClient(options);
    expect(await codeOf(client.getBlob(host, 'tollgate/tiny', { ...image.layerDescriptor, size: image.layer.length + 1 }))).toBe('SIZE_MISMATCH');
    const truncating = createRegistryClient({
      ...options,
      fetch: tamperingFetch(async (url, r) => {
        if (!url.pathname.includes('/blobs/')) return r;
        const body = Buffer.from(await r.arrayBuffer()).subarray(0, 10);
        return new Response(body, { status: r.status });
      }),
    });
    expect(await codeOf(drain(await truncating.getBlob(host, 'tollgate/tiny', image.layerDescriptor)))).toBe('SIZE_MISMATCH');
    const padding = createRegistryClient({
      ...options,
      fetch: tamperingFetch(async (url, r) => {
        if (!url.pathname.includes('/blobs/')) return r;
        return new Response(Buffer.concat([Buffer.from(await r.arrayBuffer()), Buffer.alloc(100)]), { status: r.status });
      }),
    });
    expect(await codeOf(drain(await padding.getBlob(host, 'tollgate/tiny', image.layerDescriptor)))).toBe('SIZE_MISMATCH');
  });

  it('catches a corrupted manifest by Docker-Content-Digest and by the digest asked for', async () => {
    const client = createRegistryClient({ ...options, fetch: tamperingFetch((url, r) => (url.pathname.includes('/manifests/') ? corrupt(r) : r)) });
    expect(await codeOf(client.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' }))).toBe('DIGEST_MISMATCH');
    const stripped = createRegistryClient({
      ...options,
      fetch: tamperingFetch(async (url, r) => {
        if (!url.pathname.includes('/manifests/')) return r;
        const body = Buffer.from(await r.arrayBuffer());
        body[10] = (body[10] ?? 0) ^ 0x01;
        return new Response(body, { status: r.status, headers: { 'content-type': r.headers.get('content-type') ?? '' } });
      }),
    });
    expect(await codeOf(stripped.getManifest({ registry: host, repository: 'tollgate/tiny', reference: manifestDigest }))).toBe('DIGEST_MISMATCH');
    // by tag without Docker-Content-Digest there is nothing to check against: the digest is computed
    const fetched = await stripped.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' });
    expect(fetched.digest).not.toBe(manifestDigest);
  });

  it('enforces the manifest size limit', async () => {
    const client = createRegistryClient(options);
    expect(await codeOf(client.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' }, { maxBytes: 100 }))).toBe('LIMIT_MANIFEST_SIZE');
    expect(await codeOf(client.getBlobBytes(host, 'tollgate/tiny', image.layerDescriptor, { maxBytes: 10 }))).toBe('LIMIT_MANIFEST_SIZE');
  });

  it('retries 503 and network errors with backoff, honouring Retry-After', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 1) return new Response('busy', { status: 503, headers: { 'Retry-After': '0' } });
      if (calls === 2) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    const client = createRegistryClient({ ...options, fetch: flaky });
    const got = await client.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' });
    expect(got.digest).toBe(manifestDigest);
    expect(calls).toBe(3);

    let throttled = 0;
    const started = Date.now();
    const slow = createRegistryClient({
      ...options,
      fetch: async (input, init) => {
        throttled++;
        return throttled === 1 ? new Response('', { status: 429, headers: { 'Retry-After': '1' } }) : fetch(input, init);
      },
    });
    await slow.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up after the configured retries, and never retries a 4xx', async () => {
    let calls = 0;
    const down = createRegistryClient({
      ...options,
      retries: 2,
      fetch: async () => {
        calls++;
        return new Response('', { status: 502 });
      },
    });
    expect(await codeOf(down.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' }))).toBe('OCI_UPSTREAM_FAILED');
    expect(calls).toBe(3);

    let denied = 0;
    const forbidden = createRegistryClient({
      ...options,
      fetch: async () => {
        denied++;
        return new Response('{"errors":[{"code":"DENIED"}]}', { status: 403 });
      },
    });
    expect(await codeOf(forbidden.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' }))).toBe('OCI_DENIED');
    expect(denied).toBe(1);

    let missing = 0;
    const counting = createRegistryClient({
      ...options,
      fetch: async (input, init) => {
        missing++;
        return fetch(input, init);
      },
    });
    expect(await codeOf(counting.getManifest({ registry: host, repository: 'tollgate/tiny', reference: 'nope' }))).toBe('OCI_MANIFEST_UNKNOWN');
    expect(missing).toBe(1);
  });

  it('times out a registry that does not answer', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const client = createRegistryClient({ ...options, retries: 1, timeoutMs: 100, fetch: hanging });
    const started = Date.now();
    expect(await codeOf(client.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' }))).toBe('OCI_UPSTREAM_FAILED');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('speaks https unless the host is listed as insecure', async () => {
    const client = createRegistryClient({ retries: 0, timeoutMs: 5000 });
    expect(await codeOf(client.getManifest({ registry: host, repository: 'tollgate/tiny', reference: '1' }))).toBe('OCI_UPSTREAM_FAILED');
    const urls: string[] = [];
    const recorder = createRegistryClient({
      retries: 0,
      fetch: async (input) => {
        urls.push(String(input));
        return new Response('', { status: 404 });
      },
    });
    await codeOf(recorder.getManifest({ registry: 'docker.io', repository: 'library/alpine', reference: 'latest' }));
    expect(urls).toEqual(['https://registry-1.docker.io/v2/library/alpine/manifests/latest']);
  });

  it('refuses malformed repository names and references before sending anything', async () => {
    const client = createRegistryClient({ ...options, fetch: () => Promise.reject(new Error('must not be called')) });
    expect(await codeOf(client.getManifest({ registry: host, repository: '../etc', reference: '1' }))).toBe('IMAGE_REF_INVALID');
    expect(await codeOf(client.getManifest({ registry: host, repository: 'a', reference: '../../x' }))).toBe('IMAGE_REF_INVALID');
    expect(await codeOf(client.getManifest({ registry: 'bad host', repository: 'a', reference: '1' }))).toBe('IMAGE_REF_INVALID');
  });

  it('follows redirects for blobs (as registries backed by object storage send them)', async () => {
    const redirector = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path.includes('/blobs/')) {
        res.writeHead(307, { Location: `${registry.url}${path}` }).end();
        return;
      }
      res.writeHead(404).end();
    });
    redirector.listen(0, '127.0.0.1');
    await once(redirector, 'listening');
    const redirectHost = `127.0.0.1:${(redirector.address() as AddressInfo).port}`;
    try {
      const client = createRegistryClient({ ...options, insecure: [host, redirectHost] });
      const layer = await drain(await client.getBlob(redirectHost, 'tollgate/tiny', image.layerDescriptor));
      expect(layer.equals(image.layer)).toBe(true);
    } finally {
      redirector.close();
      await once(redirector, 'close');
    }
  });

  it('reads an image pushed by skopeo, and skopeo reads an image we pushed', async () => {
    const layoutDir = join(scratch, 'layout');
    const fromSkopeo = tinyImage('pushed by skopeo\n');
    await writeLayout(layoutDir, fromSkopeo, 'v1');
    await exec('skopeo', ['--insecure-policy', 'copy', '--dest-tls-verify=false', `oci:${layoutDir}:v1`, `docker://${host}/skopeo/tiny:1`]);
    const client = createRegistryClient(options);
    const { stdout: raw } = await exec('skopeo', ['inspect', '--tls-verify=false', '--raw', `docker://${host}/skopeo/tiny:1`]);
    const fetched = await client.getManifest({ registry: host, repository: 'skopeo/tiny', reference: '1' });
    expect(fetched.bytes.toString('utf8')).toBe(raw);
    expect(fetched.digest).toBe(sha256(Buffer.from(raw)));
    const parsed = parseManifest(fetched.bytes, fetched.mediaType);
    if (parsed.kind !== 'manifest') throw new Error('expected a manifest');
    const layer = await drain(await client.getBlob(host, 'skopeo/tiny', parsed.layers[0] as Descriptor));
    expect(sha256(layer)).toBe(parsed.layers[0]?.digest);

    const { stdout: inspected } = await exec('skopeo', ['inspect', '--tls-verify=false', `docker://${host}/tollgate/tiny:1`]);
    const info = JSON.parse(inspected) as { Digest: string; Layers: string[] };
    expect(info.Digest).toBe(manifestDigest);
    expect(info.Layers).toEqual([image.layerDescriptor.digest]);
  });
});

describe.skipIf(!available)('registry client with htpasswd (Basic) auth', () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'htpasswd' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('pushes and pulls with the right password', async () => {
    const client = createRegistryClient({ insecure: [registry.host], credentials: () => ({ username: registry.username, password: registry.password }) });
    const image = tinyImage('basic\n');
    const digest = await pushImage(client, registry.host, 'basic/app', '1', image);
    const got = await client.getManifest({ registry: registry.host, repository: 'basic/app', reference: '1' });
    expect(got.digest).toBe(digest);
    const { stdout } = await exec('skopeo', ['inspect', '--tls-verify=false', '--creds', `${registry.username}:${registry.password}`, '--raw', `docker://${registry.host}/basic/app:1`]);
    expect(stdout).toBe(image.manifest.toString('utf8'));
  });

  it('refuses a wrong password and anonymous access', async () => {
    const wrong = createRegistryClient({ insecure: [registry.host], credentials: () => ({ username: registry.username, password: 'wrong' }) });
    expect(await codeOf(wrong.getManifest({ registry: registry.host, repository: 'basic/app', reference: '1' }))).toBe('OCI_AUTH_FAILED');
    const anonymous = createRegistryClient({ insecure: [registry.host] });
    expect(await codeOf(anonymous.getManifest({ registry: registry.host, repository: 'basic/app', reference: '1' }))).toBe('OCI_AUTH_FAILED');
  });
});

describe.skipIf(!available)('registry client with the Bearer token flow', () => {
  let registry: TestRegistry;

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('gets tokens from the realm, caches them per scope, and pushes and pulls', async () => {
    const server = registry.tokenServer;
    if (server === undefined) throw new Error('token mode has a token server');
    const client = createRegistryClient({ insecure: [registry.host], credentials: () => ({ username: registry.username, password: registry.password }) });
    const image = tinyImage('token\n');
    const digest = await pushImage(client, registry.host, 'token/app', '1', image);
    const afterPush = server.issued();
    expect(afterPush).toBeGreaterThanOrEqual(2); // a pull token (HEAD) and a push token
    const got = await client.getManifest({ registry: registry.host, repository: 'token/app', reference: '1' });
    expect(got.digest).toBe(digest);
    const layer = await drain(await client.getBlob(registry.host, 'token/app', image.layerDescriptor));
    expect(layer.equals(image.layer)).toBe(true);
    expect(server.issued()).toBe(afterPush); // the pull token was cached
    await client.getManifest({ registry: registry.host, repository: 'token/other', reference: '1' }).catch(() => undefined);
    expect(server.issued()).toBe(afterPush + 1); // a new scope needs a new token

    const { stdout } = await exec('skopeo', ['inspect', '--tls-verify=false', '--creds', `${registry.username}:${registry.password}`, '--raw', `docker://${registry.host}/token/app:1`]);
    expect(stdout).toBe(image.manifest.toString('utf8'));
  });

  it('fetches a new token once the cached one expires', async () => {
    const server = registry.tokenServer;
    if (server === undefined) throw new Error('token mode has a token server');
    let offsetMs = 0;
    const client = createRegistryClient({
      insecure: [registry.host],
      credentials: () => ({ username: registry.username, password: registry.password }),
      clock: { now: () => new Date(Date.now() + offsetMs) },
    });
    await pushImage(client, registry.host, 'token/expiry', '1', tinyImage('expiry\n'));
    const before = server.issued();
    await client.headManifest({ registry: registry.host, repository: 'token/expiry', reference: '1' });
    expect(server.issued()).toBe(before);
    offsetMs = 400_000; // past the 300 s lifetime the token service announced
    await client.headManifest({ registry: registry.host, repository: 'token/expiry', reference: '1' });
    expect(server.issued()).toBe(before + 1);
  });

  it('fails with OCI_AUTH_FAILED when the token service refuses', async () => {
    const wrong = createRegistryClient({ insecure: [registry.host], credentials: () => ({ username: registry.username, password: 'wrong' }) });
    expect(await codeOf(wrong.getManifest({ registry: registry.host, repository: 'token/app', reference: '1' }))).toBe('OCI_AUTH_FAILED');
    const anonymous = createRegistryClient({ insecure: [registry.host] });
    expect(await codeOf(anonymous.getManifest({ registry: registry.host, repository: 'token/app', reference: '1' }))).toBe('OCI_AUTH_FAILED');
  });

  it('fails with OCI_AUTH_FAILED when the registry refuses a fresh token', async () => {
    const forged = createRegistryClient({ insecure: [registry.host], credentials: () => ({ token: 'not-a-real-token' }) });
    expect(await codeOf(forged.getManifest({ registry: registry.host, repository: 'token/app', reference: '1' }))).toBe('OCI_AUTH_FAILED');
  });
});
