import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.ts';
import { MEDIA_TYPES } from './media-types.ts';
import {
  digestOf,
  formatPlatform,
  hostPlatform,
  parseImageConfig,
  parseManifest,
  parsePlatform,
  selectPlatform,
  sha256Digest,
  verifyBytes,
} from './manifest.ts';
import type { Descriptor, ImageIndex } from './types.ts';

const D = (c: string): `sha256:${string}` => `sha256:${c.repeat(64)}`;
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAppError(error) ? error.code : `not-an-app-error: ${String(error)}`;
  }
  return undefined;
}

// Shaped like the examples in the OCI image spec (manifest.md, image-index.md).
const OCI_MANIFEST = {
  schemaVersion: 2,
  mediaType: MEDIA_TYPES.ociManifest,
  config: { mediaType: MEDIA_TYPES.ociConfig, digest: D('b'), size: 7023 },
  layers: [
    { mediaType: MEDIA_TYPES.ociLayerGzip, digest: D('9'), size: 32654 },
    { mediaType: MEDIA_TYPES.ociLayerZstd, digest: D('3'), size: 16724, annotations: { 'org.example': 'x' } },
  ],
  annotations: { 'com.example.key1': 'value1' },
};

const DOCKER_MANIFEST = {
  schemaVersion: 2,
  mediaType: MEDIA_TYPES.dockerManifest,
  config: { mediaType: MEDIA_TYPES.dockerConfig, digest: D('a'), size: 1500 },
  layers: [{ mediaType: MEDIA_TYPES.dockerLayerGzip, digest: D('c'), size: 977 }],
};

const platformEntry = (c: string, architecture: string, variant?: string, extra: Partial<Descriptor> = {}): Descriptor => ({
  mediaType: MEDIA_TYPES.ociManifest,
  digest: D(c),
  size: 500,
  platform: variant === undefined ? { os: 'linux', architecture } : { os: 'linux', architecture, variant },
  ...extra,
});

const INDEX: ImageIndex = {
  schemaVersion: 2,
  mediaType: MEDIA_TYPES.ociIndex,
  manifests: [
    platformEntry('1', 'amd64'),
    platformEntry('2', 'arm64', 'v8'),
    platformEntry('3', 'arm', 'v7'),
    platformEntry('4', 'arm', 'v6'),
    platformEntry('5', 'ppc64le'),
    {
      mediaType: MEDIA_TYPES.ociManifest,
      digest: D('6'),
      size: 800,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': D('1') },
    },
  ],
};

describe('parseManifest', () => {
  it('parses an OCI image manifest', () => {
    const m = parseManifest(json(OCI_MANIFEST), MEDIA_TYPES.ociManifest);
    expect(m.kind).toBe('manifest');
    if (m.kind !== 'manifest') throw new Error('unreachable');
    expect(m.config.digest).toBe(D('b'));
    expect(m.layers.map((l) => l.size)).toEqual([32654, 16724]);
    expect(m.layers[1]?.annotations).toEqual({ 'org.example': 'x' });
    expect(m.annotations).toEqual({ 'com.example.key1': 'value1' });
    expect('subject' in m).toBe(false);
  });

  it('parses a Docker schema 2 manifest with a charset parameter on the content type', () => {
    const m = parseManifest(json(DOCKER_MANIFEST), `${MEDIA_TYPES.dockerManifest}; charset=utf-8`);
    expect(m.kind).toBe('manifest');
    expect(m.mediaType).toBe(MEDIA_TYPES.dockerManifest);
  });

  it('parses indexes and Docker manifest lists', () => {
    const idx = parseManifest(json(INDEX));
    expect(idx.kind).toBe('index');
    if (idx.kind !== 'index') throw new Error('unreachable');
    expect(idx.manifests).toHaveLength(6);
    expect(idx.manifests[1]?.platform).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    const list = parseManifest(json({ ...INDEX, mediaType: MEDIA_TYPES.dockerManifestList }), MEDIA_TYPES.dockerManifestList);
    expect(list.kind).toBe('index');
  });

  it('takes the media type from the content type when the body has none, and by shape when neither has one', () => {
    const { mediaType: _m, ...bare } = OCI_MANIFEST;
    expect(parseManifest(json(bare), MEDIA_TYPES.dockerManifest).mediaType).toBe(MEDIA_TYPES.dockerManifest);
    expect(parseManifest(json(bare)).kind).toBe('manifest');
    expect(parseManifest(json(bare), 'application/json').mediaType).toBe(MEDIA_TYPES.ociManifest);
    const { mediaType: _i, ...bareIndex } = INDEX;
    expect(parseManifest(json(bareIndex)).kind).toBe('index');
  });

  it('keeps subject and artifactType', () => {
    const m = parseManifest(json({ ...OCI_MANIFEST, artifactType: 'application/vnd.example.sbom', subject: { mediaType: MEDIA_TYPES.ociManifest, digest: D('e'), size: 10 } }));
    expect(m.artifactType).toBe('application/vnd.example.sbom');
    expect(m.subject?.digest).toBe(D('e'));
  });

  it.each([
    ['schema 1 by schemaVersion', json({ schemaVersion: 1, name: 'x', tag: 'y', fsLayers: [] }), undefined, 'OCI_MANIFEST_UNSUPPORTED'],
    ['schema 1 signed', json({ schemaVersion: 1, fsLayers: [] }), 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'OCI_MANIFEST_UNSUPPORTED'],
    ['unknown media type', json({ ...OCI_MANIFEST, mediaType: 'application/vnd.example.thing' }), undefined, 'OCI_MANIFEST_UNSUPPORTED'],
    ['media type disagrees with content type', json(OCI_MANIFEST), MEDIA_TYPES.dockerManifest, 'OCI_MANIFEST_INVALID'],
    ['schemaVersion 3', json({ ...OCI_MANIFEST, schemaVersion: 3 }), undefined, 'OCI_MANIFEST_INVALID'],
    ['schemaVersion as string', json({ ...OCI_MANIFEST, schemaVersion: '2' }), undefined, 'OCI_MANIFEST_INVALID'],
    ['bad layer digest', json({ ...OCI_MANIFEST, layers: [{ mediaType: 'x', digest: 'sha256:abc', size: 1 }] }), undefined, 'OCI_MANIFEST_INVALID'],
    ['md5 digest', json({ ...OCI_MANIFEST, layers: [{ mediaType: 'x', digest: `md5:${'a'.repeat(32)}`, size: 1 }] }), undefined, 'OCI_MANIFEST_INVALID'],
    ['negative size', json({ ...OCI_MANIFEST, layers: [{ mediaType: 'x', digest: D('1'), size: -1 }] }), undefined, 'OCI_MANIFEST_INVALID'],
    ['fractional size', json({ ...OCI_MANIFEST, layers: [{ mediaType: 'x', digest: D('1'), size: 1.5 }] }), undefined, 'OCI_MANIFEST_INVALID'],
    ['unsafe size', json({ ...OCI_MANIFEST, layers: [{ mediaType: 'x', digest: D('1'), size: 2 ** 60 }] }), undefined, 'OCI_MANIFEST_INVALID'],
    ['missing config', json({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociManifest, layers: [] }), undefined, 'OCI_MANIFEST_INVALID'],
    ['layers not an array', json({ ...OCI_MANIFEST, layers: {} }), undefined, 'OCI_MANIFEST_INVALID'],
    ['manifest with manifests', json({ ...OCI_MANIFEST, manifests: [] }), undefined, 'OCI_MANIFEST_INVALID'],
    ['index with layers', json({ ...INDEX, layers: [] }), undefined, 'OCI_MANIFEST_INVALID'],
    ['ambiguous bare document', json({ schemaVersion: 2 }), undefined, 'OCI_MANIFEST_INVALID'],
    ['an array', json([OCI_MANIFEST]), undefined, 'OCI_MANIFEST_INVALID'],
    ['null', Buffer.from('null'), undefined, 'OCI_MANIFEST_INVALID'],
    ['truncated JSON', json(OCI_MANIFEST).subarray(0, 40), undefined, 'OCI_MANIFEST_INVALID'],
    ['annotation value not a string', json({ ...OCI_MANIFEST, annotations: { a: 1 } }), undefined, 'OCI_MANIFEST_INVALID'],
  ])('refuses %s', (_name, bytes, contentType, code) => {
    expect(codeOf(() => parseManifest(bytes, contentType))).toBe(code);
  });

  it('enforces the size and depth limits', () => {
    expect(codeOf(() => parseManifest(json(OCI_MANIFEST), undefined, { maxBytes: 100, maxDepth: 64 }))).toBe('LIMIT_MANIFEST_SIZE');
    const deep = Buffer.from(`{"schemaVersion":2,"annotations":${'['.repeat(100)}${']'.repeat(100)}}`);
    expect(codeOf(() => parseManifest(deep))).toBe('LIMIT_JSON_DEPTH');
  });
});

describe('parseImageConfig', () => {
  const CONFIG = {
    architecture: 'amd64',
    os: 'linux',
    created: '2026-01-01T00:00:00Z',
    config: {
      User: 'app',
      Env: ['PATH=/usr/bin'],
      Entrypoint: ['/bin/app'],
      Cmd: null,
      Labels: { a: 'b' },
      ExposedPorts: { '80/tcp': {} },
      Healthcheck: { Test: ['CMD', 'true'], Interval: 30_000_000_000 },
      Hostname: 'ignored',
    },
    rootfs: { type: 'layers', diff_ids: [D('1'), D('2')] },
    history: [{ created_by: 'ADD x', empty_layer: false }, { created_by: 'CMD', empty_layer: true }],
  };

  it('parses the fields we read', () => {
    const c = parseImageConfig(json(CONFIG));
    expect(c.architecture).toBe('amd64');
    expect(c.config?.User).toBe('app');
    expect(c.config?.Cmd).toBeNull();
    expect(c.config?.Healthcheck?.Test).toEqual(['CMD', 'true']);
    expect(c.rootfs?.diff_ids).toEqual([D('1'), D('2')]);
    expect(c.history).toHaveLength(2);
  });

  it('accepts a minimal config and a null config section', () => {
    expect(parseImageConfig(json({ architecture: 'arm64', os: 'linux', config: null }))).toEqual({ architecture: 'arm64', os: 'linux' });
  });

  it.each([
    ['not JSON', Buffer.from('{')],
    ['an array', json([])],
    ['Env not strings', json({ config: { Env: [1] } })],
    ['bad diff_id', json({ rootfs: { type: 'layers', diff_ids: ['sha256:zz'] } })],
  ])('refuses %s with OCI_CONFIG_INVALID', (_name, bytes) => {
    expect(codeOf(() => parseImageConfig(bytes))).toBe('OCI_CONFIG_INVALID');
  });

  it('enforces limits', () => {
    expect(codeOf(() => parseImageConfig(json(CONFIG), { maxBytes: 10, maxDepth: 64 }))).toBe('LIMIT_MANIFEST_SIZE');
    expect(codeOf(() => parseImageConfig(json(CONFIG), { maxBytes: 1e6, maxDepth: 2 }))).toBe('LIMIT_JSON_DEPTH');
  });
});

describe('platforms', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    ['Linux/ARM/v7', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/x86_64', { os: 'linux', architecture: 'amd64' }],
    ['linux/aarch64', { os: 'linux', architecture: 'arm64' }],
    ['linux/armhf', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['arm64', { os: 'linux', architecture: 'arm64' }],
    ['windows/amd64', { os: 'windows', architecture: 'amd64' }],
  ])('parsePlatform(%s)', (text, platform) => {
    expect(parsePlatform(text)).toEqual(platform);
  });

  it.each(['', 'linux/', 'a/b/c/d', 'linux/am d64'])('parsePlatform refuses %j', (text) => {
    expect(codeOf(() => parsePlatform(text))).toBe('INPUT_INVALID');
  });

  it('maps Node architectures to OCI names', () => {
    expect(hostPlatform('x64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(hostPlatform('arm64')).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(hostPlatform('arm')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
    expect(hostPlatform('ia32')).toEqual({ os: 'linux', architecture: '386' });
    expect(formatPlatform(parsePlatform('linux/arm/v6'))).toBe('linux/arm/v6');
  });

  it.each([
    ['linux/amd64', D('1')],
    ['linux/arm64', D('2')],
    ['linux/arm64/v8', D('2')],
    ['linux/arm', D('3')],
    ['linux/arm/v7', D('3')],
    ['linux/arm/v6', D('4')],
    ['linux/ppc64le', D('5')],
    ['linux/amd64/v1', D('1')],
  ])('selectPlatform(%s)', (wanted, digest) => {
    expect(selectPlatform(INDEX, parsePlatform(wanted)).digest).toBe(digest);
  });

  it('matches an entry without a variant for arm64/v8', () => {
    const index = { manifests: [platformEntry('7', 'arm64')] };
    expect(selectPlatform(index, parsePlatform('linux/arm64/v8')).digest).toBe(D('7'));
    expect(codeOf(() => selectPlatform(index, parsePlatform('linux/arm64/v9')))).toBe('PLATFORM_NOT_FOUND');
  });

  it('defaults to the host platform', () => {
    const host = hostPlatform();
    const index = { manifests: [platformEntry('8', 's390x'), platformEntry('9', host.architecture, host.variant)] };
    expect(selectPlatform(index).digest).toBe(D('9'));
  });

  it('skips attestation manifests and lists what is available', () => {
    let caught: unknown;
    try {
      selectPlatform(INDEX, { os: 'unknown', architecture: 'unknown' });
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, 'PLATFORM_NOT_FOUND')).toBe(true);
    if (!isAppError(caught)) throw new Error('unreachable');
    expect(caught.details['available']).toBe('linux/amd64, linux/arm64/v8, linux/arm/v7, linux/arm/v6, linux/ppc64le');
    expect(caught.details['wanted']).toBe('unknown/unknown');
  });
});

describe('digests', () => {
  const bytes = Buffer.from('hello tollgate');
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}` as const;

  it('computes sha256 and sha512 digests', () => {
    expect(sha256Digest(bytes)).toBe(digest);
    expect(digestOf(bytes, 'sha512')).toBe(`sha512:${createHash('sha512').update(bytes).digest('hex')}`);
  });

  it('verifies bytes against a descriptor', () => {
    expect(() => verifyBytes(bytes, { digest, size: bytes.length })).not.toThrow();
    expect(() => verifyBytes(bytes, { digest: digestOf(bytes, 'sha512'), size: bytes.length })).not.toThrow();
    expect(codeOf(() => verifyBytes(bytes, { digest, size: bytes.length + 1 }))).toBe('SIZE_MISMATCH');
    const tampered = Buffer.from(bytes);
    tampered[0] = 0x48;
    expect(codeOf(() => verifyBytes(tampered, { digest, size: bytes.length }))).toBe('DIGEST_MISMATCH');
  });
});
