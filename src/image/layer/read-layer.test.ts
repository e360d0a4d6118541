import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { craftTar, gzip, tarHeader, zstd, type CraftEntry } from '../../testing/tar-craft.ts';
import { resolveLimits, type ImageLimits } from '../limits.ts';
import type { LayerEntry } from './layer-entry.ts';
import { readLayer, readLayerBytes, SMALL_LAYER_OUTPUT_BYTES, type EntryBody, type LayerReadResult } from './read-layer.ts';
import type { AppError } from '../../core/errors.ts';

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

type Seen = [LayerEntry, EntryBody | undefined][];

/**
 * Reads `blob` streamed (readLayer) and held whole (readLayerBytes, what small layers take): both must
 * give the same entries and result, or fail with the same error. Gives the streamed outcome.
 */
async function read(blob: Buffer, limits: Partial<ImageLimits> = {}, extra: { allowDevices?: boolean; capture?: (e: LayerEntry) => boolean } = {}) {
  const run = async (whole: boolean): Promise<{ result?: LayerReadResult; error?: unknown; seen: Seen }> => {
    const seen: Seen = [];
    const options = { limits: resolveLimits(limits), ...extra };
    const visit = (entry: LayerEntry, body: EntryBody | undefined): void => void seen.push([entry, body]);
    try {
      const result = whole ? readLayerBytes(blob, visit, options) : await readLayer(Readable.from([blob]), visit, options);
      return { ...(result !== undefined ? { result } : {}), seen };
    } catch (error) {
      return { error, seen };
    }
  };
  const streamed = await run(false);
  const held = await run(true);
  if (held.result === undefined && held.error === undefined) {
    // inflates past what a whole read holds: streamed instead, nothing visited (and only then)
    expect(held.seen).toEqual([]);
    expect(streamed.error !== undefined || (streamed.result?.uncompressedBytes ?? 0) > SMALL_LAYER_OUTPUT_BYTES).toBe(true);
  } else if (streamed.error !== undefined) {
    const { code, message, details } = streamed.error as AppError;
    expect(held.error).toMatchObject({ code, message, details });
  } else {
    expect(held).toEqual(streamed);
  }
  if (streamed.error !== undefined) throw streamed.error;
  return { result: streamed.result as LayerReadResult, seen: streamed.seen };
}

const sample: CraftEntry[] = [
  { name: './', type: '5' },
  { name: './etc/', type: '5' },
  { name: './etc/os-release', body: 'ID=debian\n' },
  { name: 'usr/bin/env', body: Buffer.alloc(3000, 7), mode: 0o755 },
  { name: '/usr/lib/os-release', type: '2', linkname: '../../etc/os-release' },
  { name: 'usr/bin/env2', type: '1', linkname: 'usr/bin/env' },
  { name: `deep/${'x'.repeat(150)}/${'y'.repeat(120)}`, body: 'long', pax: true },
];

describe('readLayer', () => {
  it.each([
    ['tar', (t: Buffer) => t, 'none'],
    ['tar+gzip', gzip, 'gzip'],
    ['tar+zstd', zstd, 'zstd'],
  ] as const)('reads %s by its magic bytes, hashing files and the tar', async (_name, compress, compression) => {
    const tar = craftTar(sample);
    const { result, seen } = await read(compress(tar), {}, { capture: (e) => e.path === '/etc/os-release' });
    expect(result.compression).toBe(compression);
    expect(result.diffId).toBe(`sha256:${sha(tar)}`);
    expect(result.uncompressedBytes).toBe(tar.length);
    expect(seen.map(([e]) => e.path)).toEqual([
      '/',
      '/etc',
      '/etc/os-release',
      '/usr/bin/env',
      '/usr/lib/os-release',
      '/usr/bin/env2',
      `/deep/${'x'.repeat(150)}/${'y'.repeat(120)}`,
    ]);
    const [osRelease, osBody] = seen[2] ?? [];
    expect(osRelease).toMatchObject({ type: 'file', size: 10, mode: 0o644 });
    expect(osBody).toEqual({ sha256: sha('ID=debian\n'), content: Buffer.from('ID=debian\n') });
    expect(seen[3]?.[1]).toEqual({ sha256: sha(Buffer.alloc(3000, 7)) });
    expect(seen[4]?.[0]).toMatchObject({ type: 'symlink', linkTarget: '../../etc/os-release' });
    expect(seen[5]?.[0]).toMatchObject({ type: 'hardlink', linkTarget: '/usr/bin/env' });
  });

  it('hashes a file the same whether its bytes come in one piece, in many, or not at all (empty)', async () => {
    const big = Buffer.from(Array.from({ length: 7000 }, (_, i) => i % 251));
    const tar = craftTar([{ name: 'big', body: big }, { name: 'empty', body: '' }, { name: 'small', body: 'abc' }]);
    const whole = await read(tar);
    const pieces: Buffer[] = [];
    for (let at = 0; at < tar.length; at += 97) pieces.push(tar.subarray(at, at + 97));
    const seen: [string, string | undefined][] = [];
    await readLayer(Readable.from(pieces), (entry, body) => seen.push([entry.path, body?.sha256]), { limits: resolveLimits({}) });

    const expected = [['/big', sha(big)], ['/empty', sha('')], ['/small', sha('abc')]];
    expect(whole.seen.map(([e, body]) => [e.path, body?.sha256])).toEqual(expected);
    expect(seen).toEqual(expected);
  });

  it('checks the diff id', async () => {
    const tar = craftTar(sample);
    await expect(
      readLayer(Readable.from([gzip(tar)]), () => undefined, {
        limits: resolveLimits(),
        expectedDiffId: `sha256:${sha('other')}`,
      }),
    ).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it.each([
    ['a ".." that climbs out', [{ name: 'a/../../etc/passwd', body: 'x' }], 'ARCHIVE_PATH_TRAVERSAL'],
    ['a leading ".."', [{ name: '../x', body: 'x' }], 'ARCHIVE_PATH_TRAVERSAL'],
    ['a hard link that climbs out', [{ name: 'x', type: '1', linkname: '../../etc/shadow' }], 'ARCHIVE_PATH_TRAVERSAL'],
    ['a relative symlink above the root', [{ name: 'usr/x', type: '2', linkname: '../../etc/passwd' }], 'ARCHIVE_SYMLINK_ESCAPE'],
    ['a char device', [{ name: 'dev/null', type: '3' }], 'ARCHIVE_DEVICE_FILE'],
    ['a block device', [{ name: 'dev/sda', type: '4' }], 'ARCHIVE_DEVICE_FILE'],
    ['an unknown type', [{ name: 'x', type: 'S' }], 'ARCHIVE_INVALID'],
    ['a path over the length limit', [{ name: `${'a/'.repeat(40)}f`, pax: true }], 'LIMIT_PATH_LENGTH'],
  ] as const)('refuses %s', async (_name, entries, code) => {
    await expect(read(gzip(craftTar(entries)), { maxPathLength: 60 })).rejects.toMatchObject({ code });
  });

  it('records device nodes when asked', async () => {
    const { seen } = await read(craftTar([{ name: 'dev/null', type: '3' }]), {}, { allowDevices: true });
    expect(seen[0]?.[0]).toMatchObject({ type: 'char', path: '/dev/null' });
  });

  it('normalises harmless dot segments', async () => {
    const { seen } = await read(craftTar([{ name: './a/./b/../c', body: 'x' }]));
    expect(seen[0]?.[0].path).toBe('/a/c');
  });

  it('enforces depth, entry count and size limits', async () => {
    await expect(read(craftTar([{ name: `${'d/'.repeat(20)}f` }]), { maxPathDepth: 10 })).rejects.toMatchObject({ code: 'LIMIT_PATH_DEPTH' });
    const many = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}` }));
    await expect(read(craftTar(many), { maxEntries: 10 })).rejects.toMatchObject({ code: 'LIMIT_ENTRY_COUNT' });
    await expect(read(gzip(craftTar([{ name: 'big', body: Buffer.alloc(100_000) }])), { maxLayerBytes: 50_000 })).rejects.toMatchObject({
      code: 'LIMIT_DECOMPRESSED_SIZE',
    });
    await expect(
      read(gzip(craftTar([{ name: 'big', body: Buffer.alloc(1_000_000) }])), { ratioGraceBytes: 1000, maxCompressionRatio: 10 }),
    ).rejects.toMatchObject({ code: 'LIMIT_COMPRESSION_RATIO' });
  });

  it('detects truncation of gzip, zstd and tar', async () => {
    const tar = craftTar([{ name: 'a', body: Buffer.alloc(5000, 1) }, { name: 'b', body: 'bbb' }]);
    const gz = gzip(tar);
    const zs = zstd(tar);
    await expect(read(gz.subarray(0, gz.length - 10))).rejects.toMatchObject({ code: 'ARCHIVE_TRUNCATED' });
    await expect(read(zs.subarray(0, zs.length - 10))).rejects.toMatchObject({ code: 'ARCHIVE_TRUNCATED' });
    await expect(read(tar.subarray(0, 3000))).rejects.toMatchObject({ code: 'ARCHIVE_TRUNCATED' });
    await expect(read(gzip(tar.subarray(0, 3000)))).rejects.toMatchObject({ code: 'ARCHIVE_TRUNCATED' });
    // cut inside file data where the zero padding of the tail would complete the data: still refused
    await expect(read(tar.subarray(0, 512 + 4900))).rejects.toMatchObject({ code: 'ARCHIVE_TRUNCATED' });
    await expect(read(gzip(tar.subarray(0, 512 + 2000)))).rejects.toMatchObject({ code: 'ARCHIVE_TRUNCATED' });
    // cut inside the second entry's header
    await expect(read(tar.subarray(0, 512 + 5120 + 100))).rejects.toMatchObject({ code: 'ARCHIVE_TRUNCATED' });
  });

  it('accepts a tar that ends at an entry boundary without end-of-archive blocks (as GNU tar does)', async () => {
    const tar = craftTar([{ name: 'a', body: Buffer.alloc(5000, 1) }, { name: 'b', body: 'bbb' }]);
    // after a's padding: indistinguishable from an archive of `a` alone without its end marker
    const atBoundary = tar.subarray(0, 512 + 5120);
    const boundary = await read(gzip(atBoundary));
    expect(boundary.seen.map(([e, body]) => [e.path, body?.sha256])).toEqual([['/a', sha(Buffer.alloc(5000, 1))]]);
    expect(boundary.result.diffId).toBe(`sha256:${sha(atBoundary)}`);
    // right after b's data, no padding (what `umoci insert` writes)
    const afterData = tar.subarray(0, 512 + 5120 + 512 + 3);
    const { result, seen } = await read(afterData, {}, { capture: (e) => e.path === '/b' });
    expect(seen.map(([e]) => e.path)).toEqual(['/a', '/b']);
    expect(seen[1]?.[1]).toEqual({ sha256: sha('bbb'), content: Buffer.from('bbb') });
    expect(result).toMatchObject({ uncompressedBytes: afterData.length, diffId: `sha256:${sha(afterData)}`, entries: 2 });
  });

  it('refuses unknown compression and corrupt headers', async () => {
    await expect(read(Buffer.from('BZh91AY&SY' + 'x'.repeat(600)))).rejects.toMatchObject({ code: 'ARCHIVE_COMPRESSION_UNSUPPORTED' });
    await expect(read(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, ...Buffer.alloc(600)]))).rejects.toMatchObject({
      code: 'ARCHIVE_COMPRESSION_UNSUPPORTED',
    });
    const tar = craftTar([{ name: 'a', body: 'x' }, { name: 'b', body: 'y' }]);
    tar[1024 + 148] = 0x37; // corrupt the second header's checksum
    await expect(read(gzip(tar))).rejects.toMatchObject({ code: 'ARCHIVE_INVALID' });
    const gz = gzip(craftTar([{ name: 'a', body: Buffer.alloc(4000, 3) }]));
    gz[20] = (gz[20] ?? 0) ^ 0xff;
    await expect(read(gz)).rejects.toMatchObject({ code: expect.stringMatching(/^ARCHIVE_(INVALID|TRUNCATED)$/) });
  });

  it('streams a 512 MiB layer in bounded memory, hashing it without keeping it', async () => {
    const size = 512 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x5a);
    async function* blob(): AsyncGenerator<Buffer> {
      yield tarHeader({ name: 'big.bin' }, size);
      for (let i = 0; i < size / chunk.length; i++) yield chunk;
      yield Buffer.alloc(1024);
    }
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const seen: LayerEntry[] = [];
      const result = await readLayer(Readable.from(blob()), (entry) => seen.push(entry), { limits: resolveLimits() });
      expect(result.uncompressedBytes).toBe(size + 1536);
      expect(seen[0]).toMatchObject({ path: '/big.bin', size });
    } finally {
      clearInterval(timer);
    }
    expect(peak - before).toBeLessThan(128 * 1024 * 1024);
  }, 120_000);

  it('accepts an empty blob and an empty tar', async () => {
    expect((await read(Buffer.alloc(0))).seen).toEqual([]);
    expect((await read(gzip(Buffer.alloc(1024)))).result.entries).toBe(0);
  });

  it('reads a whole blob as the stream does: diff id checks, a stop at one entry, shared image totals', async () => {
    const tar = craftTar(sample);
    const diffId = `sha256:${sha(tar)}` as const;
    for (const blob of [tar, gzip(tar), zstd(tar), Buffer.concat([gzip(tar.subarray(0, 1024)), gzip(tar.subarray(1024))])]) {
      for (const options of [{ expectedDiffId: diffId }, { expectedDiffId: `sha256:${sha('other')}` as const }, { stopAt: 2 }, {}]) {
        const outcome = async (whole: boolean) => {
          const seen: string[] = [];
          const counters = { imageBytes: 10, entries: 1 };
          const opts = { limits: resolveLimits(), counters, ...options };
          try {
            const result = whole ? readLayerBytes(blob, (e) => seen.push(e.path), opts) : await readLayer(Readable.from([blob]), (e) => seen.push(e.path), opts);
            return { result, seen, counters };
          } catch (error) {
            return { code: (error as AppError).code, counters };
          }
        };
        expect(await outcome(true)).toEqual(await outcome(false));
      }
    }
  });

  it('leaves a blob that inflates past what it holds to the stream, having visited nothing', async () => {
    const tar = craftTar([{ name: 'zeros', body: Buffer.alloc(SMALL_LAYER_OUTPUT_BYTES + 4096) }]);
    for (const blob of [gzip(tar), zstd(tar), tar]) {
      const seen: string[] = [];
      const counters = { imageBytes: 0, entries: 0 };
      expect(readLayerBytes(blob, (e) => seen.push(e.path), { limits: resolveLimits(), counters })).toBeUndefined();
      expect({ seen, counters }).toEqual({ seen: [], counters: { imageBytes: 0, entries: 0 } });
    }
  });
});
