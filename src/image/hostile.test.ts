/**
 * Hostile images: each case is a real crafted archive (tar headers written by hand, real gzip/zstd
 * streams, real OCI layouts and archives) read through the same path `tollgate inspect` uses. Each
 * must be refused with its stable code, and nothing may be written outside the data folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, readdirSync, lstatSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../config/index.ts';
import { silentLogger } from '../core/logger.ts';
import { isAppError } from '../core/errors.ts';
import { makeImageServices } from '../services/image.ts';
import { craftTar, gzip, tarHeader, zstd, type CraftEntry } from '../testing/tar-craft.ts';
import { tarLayout, writeOciLayout, type CraftImage } from '../testing/oci-craft.ts';
import { createFileIndexStore } from './file-index-store.ts';
import { SMALL_LAYER_BYTES } from './layer/read-layer.ts';

let parent: string;
let dataDir: string;
let counter = 0;

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'tollgate-hostile-'));
  dataDir = join(parent, 'data');
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

function snapshot(dir: string, skip: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (p === skip) continue;
      const st = lstatSync(p);
      out.push(`${p} ${st.isDirectory() ? 'd' : st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

function services(limits: Record<string, number> = {}) {
  const config = ConfigSchema.parse({ dataDir, limits });
  return makeImageServices({
    config,
    env: { noColor: true, ci: false },
    log: silentLogger,
    fileIndexStore: createFileIndexStore(join(dataDir, 'file-index')),
  });
}

/** Reads `source` through the inspect service; returns the error code, checking nothing leaked. */
async function refusal(source: string, limits: Record<string, number> = {}): Promise<string> {
  const before = snapshot(parent, dataDir);
  const dataBefore = snapshot(parent, '').filter((p) => p.startsWith(dataDir));
  const error = await services(limits)
    .inspectImage(source)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(snapshot(parent, dataDir)).toEqual(before);
  expect(snapshot(parent, '').filter((p) => p.startsWith(dataDir))).toEqual(dataBefore);
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error.code;
}

function layout(image: CraftImage): string {
  counter += 1;
  return `oci:${writeOciLayout(join(parent, `img${counter}`), image).dir}:test`;
}

const gzLayer = (entries: readonly CraftEntry[]): CraftImage => {
  const tar = craftTar(entries);
  return { layers: [gzip(tar)], tars: [tar] };
};

describe('hostile layers', () => {
  it.each([
    ["a '..' path", [{ name: 'a/../../../etc/passwd', body: 'root::0:0' }], 'ARCHIVE_PATH_TRAVERSAL'],
    ['a relative symlink climbing above the root', [{ name: 'usr/evil', type: '2', linkname: '../../../etc/shadow' }], 'ARCHIVE_SYMLINK_ESCAPE'],
    ['a write through a symlink', [{ name: 'etc', type: '2', linkname: '/tmp' }, { name: 'etc/cron.d/x', body: 'boom' }], 'ARCHIVE_SYMLINK_ESCAPE'],
    ['a hard link to a missing file', [{ name: 'bin/sh', type: '1', linkname: 'bin/nothing' }], 'ARCHIVE_HARDLINK_INVALID'],
    ['a hard link climbing out', [{ name: 'x', type: '1', linkname: '../../etc/shadow' }], 'ARCHIVE_PATH_TRAVERSAL'],
    ['a device node', [{ name: 'dev/kmem', type: '3' }], 'ARCHIVE_DEVICE_FILE'],
    ['a too-deep path', [{ name: `${'d/'.repeat(300)}f`, pax: true }], 'LIMIT_PATH_DEPTH'],
  ] as const)('refuses %s', async (_name, entries, code) => {
    expect(await refusal(layout(gzLayer(entries)))).toBe(code);
  });

  it('refuses a write through a symlink made by a lower layer', async () => {
    const lower = craftTar([{ name: 'var/', type: '5' }, { name: 'var/log', type: '2', linkname: '/etc' }]);
    const upper = craftTar([{ name: 'var/log/passwd', body: 'x' }]);
    expect(await refusal(layout({ layers: [gzip(lower), gzip(upper)], tars: [lower, upper] }))).toBe('ARCHIVE_SYMLINK_ESCAPE');
  });

  it('refuses too many entries', async () => {
    const entries = Array.from({ length: 200 }, (_, i) => ({ name: `f${i}`, body: 'x' }));
    expect(await refusal(layout(gzLayer(entries)), { maxEntries: 100 })).toBe('LIMIT_ENTRY_COUNT');
  });

  it('refuses truncated gzip, zstd and tar layers', async () => {
    const tar = craftTar([{ name: 'a', body: Buffer.alloc(20_000, 9) }, { name: 'b', body: 'b' }]);
    const gz = gzip(tar);
    const zs = zstd(tar);
    expect(await refusal(layout({ layers: [gz.subarray(0, gz.length - 12)], tars: [tar] }))).toBe('ARCHIVE_TRUNCATED');
    expect(
      await refusal(layout({ layers: [zs.subarray(0, zs.length - 12)], tars: [tar], layerMediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' })),
    ).toBe('ARCHIVE_TRUNCATED');
    expect(await refusal(layout({ layers: [tar.subarray(0, 9000)], layerMediaType: 'application/vnd.oci.image.layer.v1.tar' }))).toBe(
      'ARCHIVE_TRUNCATED',
    );
  });

  it('refuses a corrupted blob (digest) and a wrong diff id', async () => {
    const tar = craftTar([{ name: 'a', body: 'a' }]);
    expect(await refusal(layout({ layers: [tar], corruptLayer: 0, layerMediaType: 'application/vnd.oci.image.layer.v1.tar' }))).toBe('DIGEST_MISMATCH');
    const gz = gzip(tar);
    expect(await refusal(layout({ layers: [gz], diffIds: [`sha256:${'0'.repeat(64)}`] }))).toBe('DIGEST_MISMATCH');
  });

  it('refuses a layer blob longer or shorter than its descriptor, small (read whole) or not (streamed)', async () => {
    for (const size of [100, SMALL_LAYER_BYTES + 50_000]) {
      // random bytes: a gzip that does not shrink below the small-layer bound
      const tar = craftTar([{ name: 'a', body: randomBytes(size) }]);
      const gz = gzip(tar);
      expect(gz.length > SMALL_LAYER_BYTES).toBe(size > SMALL_LAYER_BYTES);
      for (const changed of [Buffer.concat([gz, Buffer.from('extra')]), gz.subarray(0, gz.length - 5)]) {
        counter += 1;
        const dir = join(parent, `img${String(counter)}`);
        writeOciLayout(dir, { layers: [gz], tars: [tar] });
        writeFileSync(join(dir, 'blobs', 'sha256', createHash('sha256').update(gz).digest('hex')), changed);
        expect(await refusal(`oci:${dir}:test`), `${String(gz.length)} bytes, now ${String(changed.length)}`).toBe('SIZE_MISMATCH');
      }
    }
  });

  it('refuses an unsupported compression', async () => {
    const fake = Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(1000, 1)]);
    expect(await refusal(layout({ layers: [fake] }))).toBe('ARCHIVE_COMPRESSION_UNSUPPORTED');
  });

  it('stops a 1 GiB decompression bomb early, without allocating it', async () => {
    const bomb = join(parent, 'bomb.tar.gz');
    const size = 1024 ** 3;
    async function* zeros(): AsyncGenerator<Buffer> {
      yield tarHeader({ name: 'zeros' }, size);
      const mib = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < size / mib.length; i++) yield mib;
      yield Buffer.alloc(1024);
    }
    await pipeline(Readable.from(zeros()), createGzip({ level: 9 }), createWriteStream(bomb));
    const { readFileSync } = await import('node:fs');
    const blob = readFileSync(bomb);
    expect(blob.length).toBeLessThan(2 * 1024 * 1024);
    const source = layout({ layers: [blob], diffIds: [`sha256:${'1'.repeat(64)}`] });
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    expect(await refusal(source)).toBe('LIMIT_COMPRESSION_RATIO');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
    // a size limit catches it too when the ratio limit is relaxed
    expect(await refusal(source, { maxCompressionRatio: 100_000, maxLayerBytes: 32 * 1024 * 1024 })).toBe('LIMIT_DECOMPRESSED_SIZE');
  }, 60_000);
});

describe('hostile manifests', () => {
  it('refuses a huge manifest before reading it', async () => {
    const source = layout({ ...gzLayer([{ name: 'a', body: 'a' }]), manifestBytes: (built) => Buffer.concat([built, Buffer.alloc(5 * 1024 * 1024, 0x20)]) });
    expect(await refusal(source)).toBe('LIMIT_MANIFEST_SIZE');
  });

  it('refuses a deeply nested manifest', async () => {
    const deep = (built: Buffer): Buffer => {
      const doc = JSON.parse(built.toString()) as Record<string, unknown>;
      return Buffer.from(JSON.stringify({ ...doc, annotations: undefined }).replace(/}$/, `,"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`));
    };
    expect(await refusal(layout({ ...gzLayer([{ name: 'a', body: 'a' }]), manifestBytes: deep }))).toBe('LIMIT_JSON_DEPTH');
  });

  it('refuses more layers than the limit', async () => {
    const tar = craftTar([{ name: 'a', body: 'a' }]);
    expect(await refusal(layout({ layers: [tar, tar, tar], layerMediaType: 'application/vnd.oci.image.layer.v1.tar' }), { maxLayers: 2 })).toBe(
      'LIMIT_LAYER_COUNT',
    );
  });
});

describe('hostile archives', () => {
  function archive(entries: readonly CraftEntry[]): string {
    counter += 1;
    const file = join(parent, `archive${counter}.tar`);
    writeFileSync(file, craftTar(entries));
    return file;
  }

  it.each([
    ['oci-archive', 'an absolute member', [{ name: '/etc/cron.d/evil', body: 'x' }], 'ARCHIVE_ABSOLUTE_PATH'],
    ['oci-archive', "a '..' member", [{ name: '../../evil', body: 'x' }], 'ARCHIVE_PATH_TRAVERSAL'],
    ['docker-archive', 'an absolute member', [{ name: 'manifest.json', body: '[]' }, { name: '/tmp/x', body: 'x' }], 'ARCHIVE_ABSOLUTE_PATH'],
    ['docker-archive', "a '..' member", [{ name: 'a/../../x', body: 'x' }], 'ARCHIVE_PATH_TRAVERSAL'],
    ['oci-archive', 'a corrupt header', [{ name: 'oci-layout', body: '{}' }], 'ARCHIVE_INVALID'],
  ] as const)('%s: refuses %s', async (transport, _name, entries, code) => {
    const file = archive(entries);
    if (code === 'ARCHIVE_INVALID') {
      const { readFileSync } = await import('node:fs');
      const bytes = readFileSync(file);
      bytes[150] = 0x31;
      writeFileSync(file, bytes);
    }
    expect(await refusal(`${transport}:${file}`)).toBe(code);
  });

  it('refuses a truncated oci-archive', async () => {
    const dir = writeOciLayout(join(parent, `trunc${counter++}`), gzLayer([{ name: 'a', body: Buffer.alloc(50_000, 1) }])).dir;
    const file = tarLayout(dir, join(parent, `trunc${counter}.tar`));
    const { readFileSync, statSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file).subarray(0, Math.floor(statSync(file).size / 2)));
    expect(await refusal(`oci-archive:${file}`)).toBe('ARCHIVE_TRUNCATED');
  });

  it('refuses a missing source and a bad transport', async () => {
    expect(await refusal(`oci-archive:${join(parent, 'nope.tar')}`)).toBe('SOURCE_NOT_FOUND');
    expect(await refusal(`oci:${join(parent, 'nope')}`)).toBe('SOURCE_NOT_FOUND');
    expect(await refusal('ftp://example/x')).toBe('SOURCE_INVALID');
    expect(await refusal('containers-storage:x')).toBe('SOURCE_INVALID');
  });
});
