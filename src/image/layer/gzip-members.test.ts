import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { craftTar } from '../../testing/tar-craft.ts';
import { resolveLimits } from '../limits.ts';
import { createGzipMembers, gzipHeaderLength, inflateGzipMembersSync, MAX_GZIP_HEADER_BYTES } from './gzip-members.ts';
import { mapStreamError, readLayer } from './read-layer.ts';

/** Inflates `blob` fed in pieces of `piece` bytes; errors come back mapped as readLayer maps them. */
async function inflate(blob: Buffer, piece = blob.length, slowReader = false): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < blob.length; at += Math.max(1, piece)) pieces.push(blob.subarray(at, at + Math.max(1, piece)));
  const out: Buffer[] = [];
  try {
    await pipeline(
      Readable.from(pieces),
      createGzipMembers(64 * 1024),
      new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _encoding, callback) {
          out.push(chunk);
          if (slowReader) setTimeout(callback, 0);
          else callback();
        },
      }),
    );
  } catch (error) {
    throw mapStreamError(error);
  }
  return Buffer.concat(out);
}

/** inflateGzipMembersSync (a blob held whole), errors mapped as readLayer maps them. */
function inflateWhole(blob: Buffer, maxOutput = 64 * 1024 * 1024): Buffer | undefined {
  try {
    return inflateGzipMembersSync(blob, maxOutput);
  } catch (error) {
    throw mapStreamError(error);
  }
}

/** A digest to compare big buffers by (vitest's deep equality walks them byte by byte). */
const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A gzip member with every optional header field (extra, name, comment, header CRC), as RFC 1952 lays it out. */
function memberWithAllFields(data: Buffer): Buffer {
  const plain = gzipSync(data);
  const extra = Buffer.from([0x41, 0x42, 3, 0, 1, 2, 3]); // SI1 SI2 LEN=3 + 3 bytes
  const header = Buffer.concat([
    Buffer.from([0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3]),
    Buffer.from([extra.length, 0]),
    extra,
    Buffer.from('layer.tar\0comment here\0', 'latin1'),
  ]);
  const crc16 = Buffer.alloc(2);
  crc16.writeUInt16LE(crc32(header) & 0xffff); // the header CRC (zlib checks it; we skip it)
  return Buffer.concat([header, crc16, plain.subarray(10)]);
}

const data = Buffer.concat([randomBytes(150_000), Buffer.alloc(400_000, 'tollgate ')]);

describe('image/layer gzip members (gunzip without the CRC-32, for diff-id-checked layers)', () => {
  it('reads members fed one byte at a time', async () => {
    const small = Buffer.concat([gzipSync('first member\n'), memberWithAllFields(Buffer.from('second\n')), gzipSync(Buffer.alloc(0)), Buffer.alloc(3)]);
    expect((await inflate(small, 1)).toString()).toBe('first member\nsecond\n');
  });

  it.each([7, 10, 11, 4096, 1 << 20])('gives what gunzip gives, one member or several, whatever the pieces (%i bytes)', async (piece) => {
    const one = gzipSync(data);
    const several = Buffer.concat([gzipSync(data.subarray(0, 1000)), gzipSync(Buffer.alloc(0)), memberWithAllFields(data.subarray(1000)), Buffer.alloc(37)]);

    expect(digest(await inflate(one, piece))).toBe(digest(gunzipSync(one)));
    expect(digest(await inflate(several, piece))).toBe(digest(gunzipSync(several)));
    expect(digest(inflateWhole(several) as Buffer)).toBe(digest(gunzipSync(several)));
    expect(digest(gunzipSync(several))).toBe(digest(data));
  });

  it('gives what the gzip program writes, read back by it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-gzip-'));
    try {
      const file = join(dir, 'data.bin');
      writeFileSync(file, data);
      // gzip -n (no name), gzip with the name field, and two members concatenated by cat
      const plain = execFileSync('gzip', ['-c', '-n', file], { maxBuffer: 64 * 1024 * 1024 });
      const named = execFileSync('gzip', ['-c', file], { maxBuffer: 64 * 1024 * 1024 });
      const cat = Buffer.concat([plain, named]);
      const big = { maxBuffer: 64 * 1024 * 1024 };
      expect(digest(await inflate(plain, 5000))).toBe(digest(data));
      expect(digest(await inflate(named, 5000))).toBe(digest(data));
      expect(digest(await inflate(cat, 5000))).toBe(digest(execFileSync('gzip', ['-dc'], { input: cat, ...big })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits for a slow reader without losing or reordering bytes', async () => {
    const blob = Buffer.concat([gzipSync(data), gzipSync(data)]);
    expect(digest(await inflate(blob, 3000, true))).toBe(digest(Buffer.concat([data, data])));
  });

  it('refuses what gunzip refuses, with the archive error codes', async () => {
    const one = gzipSync(data);
    const size = one.length;
    const cases: [string, Buffer, string][] = [
      ['cut in the header', one.subarray(0, 6), 'ARCHIVE_TRUNCATED'],
      ['cut in the deflate data', one.subarray(0, size >> 1), 'ARCHIVE_TRUNCATED'],
      ['cut at the end of the deflate data (no trailer)', one.subarray(0, size - 8), 'ARCHIVE_TRUNCATED'],
      ['cut in the trailer', one.subarray(0, size - 3), 'ARCHIVE_TRUNCATED'],
      ['a second member cut in its header', Buffer.concat([one, one.subarray(0, 5)]), 'ARCHIVE_TRUNCATED'],
      ['not gzip after a member', Buffer.concat([one, Buffer.from('garbage!')]), 'ARCHIVE_INVALID'],
      ['a wrong size in the trailer', Buffer.concat([one.subarray(0, size - 4), Buffer.from([1, 2, 3, 4])]), 'ARCHIVE_INVALID'],
      ['reserved header flags', Buffer.concat([one.subarray(0, 3), Buffer.from([0x80]), one.subarray(4)]), 'ARCHIVE_INVALID'],
      ['another method than deflate', Buffer.concat([one.subarray(0, 2), Buffer.from([7]), one.subarray(3)]), 'ARCHIVE_INVALID'],
      ['corrupt deflate data', Buffer.concat([one.subarray(0, 10), Buffer.alloc(64, 0xff), one.subarray(74)]), 'ARCHIVE_INVALID'],
      ['a name field with no end', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3]), Buffer.alloc(MAX_GZIP_HEADER_BYTES + 10, 0x61)]), 'ARCHIVE_INVALID'],
    ];
    for (const [name, blob, code] of cases) {
      await expect(inflate(blob, 4096), name).rejects.toMatchObject({ code });
      expect(() => inflateWhole(blob), name).toThrow(expect.objectContaining({ code }) as Error);
      expect(() => gunzipSync(blob), name).toThrow();
    }
  });

  it('held whole: reads what the stream reads, and gives up (undefined) past its output bound', async () => {
    const small = Buffer.concat([gzipSync('first member\n'), memberWithAllFields(Buffer.from('second\n')), gzipSync(Buffer.alloc(0)), Buffer.alloc(3)]);
    expect(inflateWhole(small)?.toString()).toBe('first member\nsecond\n');
    expect(inflateWhole(gzipSync(Buffer.alloc(0)))?.length).toBe(0);
    const two = Buffer.concat([gzipSync(data), gzipSync(data)]);
    expect(inflateWhole(two, data.length * 2)?.length).toBe(data.length * 2);
    expect(inflateWhole(two, data.length * 2 - 1)).toBeUndefined();
    expect(inflateWhole(gzipSync(data), 1000)).toBeUndefined();
  });

  it('reads header lengths as RFC 1952 lays them out', () => {
    expect(gzipHeaderLength(gzipSync('x'))).toBe(10);
    const all = memberWithAllFields(Buffer.from('x'));
    const length = 10 + 2 + 7 + 'layer.tar\0comment here\0'.length + 2;
    expect(gzipHeaderLength(all)).toBe(length);
    for (let cut = 0; cut < length; cut++) expect(gzipHeaderLength(all.subarray(0, cut))).toBeUndefined();
  });

  it('leaves the CRC-32 to the diff id: a wrong CRC over the right bytes reads, a change in the bytes is DIGEST_MISMATCH', async () => {
    const tar = craftTar([{ name: 'etc/os-release', body: 'ID=debian\n' }]);
    const diffId = `sha256:${createHash('sha256').update(tar).digest('hex')}` as const;
    const good = gzipSync(tar);
    const wrongCrc = Buffer.from(good);
    wrongCrc.writeUInt32LE((wrongCrc.readUInt32LE(good.length - 8) ^ 1) >>> 0, good.length - 8);
    const read = (blob: Buffer, expectedDiffId?: `sha256:${string}`) =>
      readLayer(Readable.from([blob]), () => undefined, { limits: resolveLimits({}), ...(expectedDiffId !== undefined ? { expectedDiffId } : {}) });

    await expect(read(wrongCrc, diffId)).resolves.toMatchObject({ diffId, compression: 'gzip' });
    // without a diff id to check, zlib's gunzip and its CRC-32 check read the layer
    await expect(read(wrongCrc)).rejects.toMatchObject({ code: 'ARCHIVE_INVALID' });
    const other = gzipSync(craftTar([{ name: 'etc/os-release', body: 'ID=alpine\n' }]));
    await expect(read(other, diffId)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });
});
