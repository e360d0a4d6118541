import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { craftTar, tarEntry, tarHeader } from '../../testing/tar-craft.ts';
import type { TarHeader } from './tar-format.ts';
import { TarParser } from './tar-parser.ts';

interface Seen {
  name: string;
  type: string | undefined;
  size: number;
  linkname: string;
  sha256?: string;
  dataOffset: number;
}

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Parses `tar` fed in chunks of the given sizes (cycled), hashing every body. */
function parse(tar: Buffer, chunkSizes: readonly number[] = [tar.length || 1]): { seen: Seen[] } {
  const seen: Seen[] = [];
  const parser = new TarParser((header: TarHeader, dataOffset) => {
    const hash = createHash('sha256');
    const entry: Seen = { name: header.name, type: header.type, size: header.size, linkname: header.linkname, dataOffset };
    seen.push(entry);
    return {
      data: (chunk) => hash.update(chunk),
      end: () => {
        entry.sha256 = hash.digest('hex');
      },
    };
  });
  let at = 0;
  for (let i = 0; at < tar.length; i++) {
    const size = chunkSizes[i % chunkSizes.length] as number;
    parser.write(tar.subarray(at, at + size));
    at += size;
  }
  parser.end();
  return { seen };
}

const work = mkdtempSync(join(tmpdir(), 'tollgate-tar-parser-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('TarParser', () => {
  it('gives the same entries and bodies however the stream is cut', () => {
    const tar = craftTar([
      { name: './', type: '5' },
      { name: 'etc/os-release', body: 'ID=debian\n' },
      { name: 'big', body: Buffer.alloc(70_000, 9) },
      { name: 'exactly-512', body: Buffer.alloc(512, 1) },
      { name: 'empty' },
      { name: `deep/${'x'.repeat(150)}/${'y'.repeat(120)}`, body: 'long', pax: true },
      { name: 'link', type: '2', linkname: 'etc/os-release' },
      { name: 'hard', type: '1', linkname: 'big' },
    ]);
    const whole = parse(tar);
    expect(whole.seen.map((e) => [e.name, e.type, e.size])).toEqual([
      ['./', 'directory', 0],
      ['etc/os-release', 'file', 10],
      ['big', 'file', 70_000],
      ['exactly-512', 'file', 512],
      ['empty', 'file', 0],
      [`deep/${'x'.repeat(150)}/${'y'.repeat(120)}`, 'file', 4],
      ['link', 'symlink', 0],
      ['hard', 'link', 0],
    ]);
    expect(whole.seen[2]?.sha256).toBe(sha(Buffer.alloc(70_000, 9)));
    expect(whole.seen[4]?.sha256).toBe(sha(''));
    // each file's data starts where its bytes are in the stream
    for (const entry of whole.seen.filter((e) => e.size > 0)) {
      const body = tar.subarray(entry.dataOffset, entry.dataOffset + entry.size);
      expect(sha(body)).toBe(entry.sha256);
    }
    for (const sizes of [[1], [7], [511], [512], [513], [4096], [3, 1000, 511, 2]]) {
      expect(parse(tar, sizes).seen).toEqual(whole.seen);
    }
  });

  it.each(['gnu', 'pax', 'ustar', 'v7'])('agrees with GNU tar on an archive it wrote in %s format', (format) => {
    const root = join(work, `tree-${format}`);
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(30)}`;
    mkdirSync(join(root, long), { recursive: true });
    const files: Record<string, Buffer> = {
      'a.txt': Buffer.from('alpha\n'),
      'empty': Buffer.alloc(0),
      'blocks.bin': Buffer.alloc(1024 * 3, 0x41),
      [`${long}/inner.txt`]: Buffer.from('deep inside\n'),
    };
    for (const [name, body] of Object.entries(files)) writeFileSync(join(root, name), body);
    writeFileSync(join(root, 'odd.bin'), Buffer.alloc(1000, 0x42));
    symlinkSync('a.txt', join(root, 'sym'));
    linkSync(join(root, 'odd.bin'), join(root, 'hard.bin'));
    const archive = join(work, `${format}.tar`);
    // v7 and ustar cannot hold the 150-character folder name: GNU tar leaves it out and says so
    execFileSync('sh', ['-c', `tar --format=${format} --sort=name -C "$0" -cf "$1" . 2>/dev/null || true`, root, archive]);
    const tar = readFileSync(archive);
    const listed = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).split('\n').filter((line) => line !== '');
    const { seen } = parse(tar, [4096]);
    expect(seen.map((e) => e.name)).toEqual(listed);
    for (const [name, body] of Object.entries(files)) {
      const entry = seen.find((e) => e.name === `./${name}`);
      if (entry === undefined) {
        expect(format === 'v7' || format === 'ustar').toBe(true); // the long name, left out
        continue;
      }
      expect(entry).toMatchObject({ type: 'file', size: body.length, sha256: sha(body) });
    }
    expect(seen.find((e) => e.name === './sym')).toMatchObject({ type: 'symlink', linkname: 'a.txt' });
    const hard = seen.filter((e) => e.name === './hard.bin' || e.name === './odd.bin');
    expect(hard.map((e) => e.type).sort()).toEqual(['file', 'link']);
    expect(hard.find((e) => e.type === 'file')).toMatchObject({ size: 1000, sha256: sha(Buffer.alloc(1000, 0x42)) });
  });

  it('splits the stream as Go (containerd) does: a link or folder has no data whatever its size field says', () => {
    // a symlink whose size field claims 512 bytes, followed by a real entry: tar-stream skipped it
    const hidden = tarEntry({ name: 'hidden', body: 'visible to the runtime' });
    const symlink = tarHeader({ name: 'sym', type: '2', linkname: 'x' }, 512);
    const folder = tarHeader({ name: 'dir/', type: '5' }, 1024);
    const tar = Buffer.concat([symlink, hidden, folder, tarEntry({ name: 'after', body: 'y' }), Buffer.alloc(1024)]);
    expect(parse(tar).seen.map((e) => [e.name, e.type, e.size])).toEqual([
      ['sym', 'symlink', 0],
      ['hidden', 'file', 22],
      ['dir/', 'directory', 0],
      ['after', 'file', 1],
    ]);
  });

  it('ends at two zero blocks and refuses a header after a single one', () => {
    const first = tarEntry({ name: 'a', body: 'a' });
    const after = tarEntry({ name: 'after-end', body: 'b' });
    // after the end, not even a broken header is looked at (Go's reader stops there too)
    const ended = parse(Buffer.concat([first, Buffer.alloc(1024), after, Buffer.alloc(512, 0xee), Buffer.alloc(1024)]));
    expect(ended.seen.map((e) => e.name)).toEqual(['a']);
    expect(() => parse(Buffer.concat([first, Buffer.alloc(512), after]))).toThrow(expect.objectContaining({ code: 'ARCHIVE_INVALID' }));
    // one zero block and the end of the stream: accepted (Go's reader too)
    expect(parse(Buffer.concat([first, Buffer.alloc(512)])).seen).toHaveLength(1);
  });

  it('applies PAX and GNU long names as Go does; global PAX headers apply to nothing', () => {
    const record = (key: string, value: string): string => {
      const text = ` ${key}=${value}\n`;
      let length = text.length + 1;
      while (`${length}${text}`.length !== length) length += 1;
      return `${length}${text}`;
    };
    const meta = (type: string, body: string): Buffer => {
      const data = Buffer.from(body);
      return Buffer.concat([tarHeader({ name: 'meta', type }, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
    };
    const tar = Buffer.concat([
      meta('g', record('path', 'global-name') + record('size', '3')),
      tarEntry({ name: 'plain', body: 'plain body' }),
      meta('x', record('path', 'pax-name') + record('size', '4')),
      tarHeader({ name: 'header-name' }, 0),
      Buffer.from('abcd'.padEnd(512, '\0')),
      meta('x', record('path', 'from-pax')),
      meta('L', 'from-gnu\0'),
      tarEntry({ name: 'short', body: 'z' }),
      meta('x', record('path', 'unset') + record('path', '')),
      tarEntry({ name: 'kept', body: 'k' }),
      Buffer.alloc(1024),
    ]);
    expect(parse(tar).seen.map((e) => [e.name, e.size, e.sha256])).toEqual([
      ['plain', 10, sha('plain body')],
      ['pax-name', 4, sha('abcd')],
      ['from-gnu', 1, sha('z')],
      ['kept', 1, sha('k')],
    ]);
  });

  it("reads old-style and unusual headers: '\\0' type with a trailing '/', base-256 sizes, signed checksums", () => {
    const oldDir = tarHeader({ name: 'olddir/' }, 0);
    oldDir[156] = 0;
    fixChecksum(oldDir);
    const base256 = tarHeader({ name: 'b256' }, 0);
    base256.fill(0, 124, 136);
    base256[124] = 0x80;
    base256.writeUInt32BE(600, 132);
    fixChecksum(base256);
    const high = tarHeader({ name: 'h\u00e9' }, 1);
    high.write('\u00ff', 200, 'latin1'); // in the unused link field: makes the signed and unsigned sums differ
    fixChecksum(high, true);
    const oldTime = tarHeader({ name: 'before-1970' }, 0);
    oldTime.fill(0xff, 136, 148); // base-256 -1: a second before the epoch
    fixChecksum(oldTime);
    const tar = Buffer.concat([oldDir, base256, Buffer.alloc(600, 5), Buffer.alloc(424), high, Buffer.from('q'.padEnd(512, '\0')), oldTime, Buffer.alloc(1024)]);
    expect(parse(tar).seen.map((e) => [e.name, e.type, e.size])).toEqual([
      ['olddir/', 'directory', 0],
      ['b256', 'file', 600],
      ['h\u00e9', 'file', 1],
      ['before-1970', 'file', 0],
    ]);
  });

  it.each([
    ['a bad checksum', () => corrupt(tarEntry({ name: 'a', body: 'x' }), 148, 0x37), 'ARCHIVE_INVALID'],
    ['a size that is not octal', () => withField(tarHeader({ name: 'a' }, 0), 124, '00000000x9\0'), 'ARCHIVE_INVALID'],
    ['a negative base-256 size', () => withBytes(tarHeader({ name: 'a' }, 0), 124, [0xff, 0xff]), 'ARCHIVE_INVALID'],
    ['a malformed PAX record', () => Buffer.concat([tarHeader({ name: 'p', type: 'x' }, 12), Buffer.from('99 path=x\n'.padEnd(512, '\0'))]), 'ARCHIVE_INVALID'],
    ['a PAX size that is not a number', () => Buffer.concat([tarHeader({ name: 'p', type: 'x' }, 13), Buffer.from('13 size=-12\n\0'.padEnd(512, '\0')), tarHeader({ name: 'f' }, 0)]), 'ARCHIVE_INVALID'],
    ['an extended header over 1 MiB', () => tarHeader({ name: 'p', type: 'x' }, 2 * 1024 * 1024), 'ARCHIVE_INVALID'],
    ['a stream cut inside a header', () => tarEntry({ name: 'a', body: 'x' }).subarray(0, 300), 'ARCHIVE_TRUNCATED'],
    ['a stream cut inside data', () => tarEntry({ name: 'a', body: Buffer.alloc(2000) }).subarray(0, 1500), 'ARCHIVE_TRUNCATED'],
    ['a stream cut inside a PAX header', () => tarHeader({ name: 'p', type: 'x' }, 100), 'ARCHIVE_TRUNCATED'],
  ] as const)('refuses %s', (_name, make, code) => {
    expect(() => parse(Buffer.concat([make(), Buffer.alloc(1024)]).subarray(0, code === 'ARCHIVE_TRUNCATED' ? make().length : undefined), [100])).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('accepts a stream that ends right after an entry without padding (umoci insert)', () => {
    const tar = Buffer.concat([tarEntry({ name: 'a', body: 'x' }), tarHeader({ name: 'b' }, 3), Buffer.from('bbb')]);
    expect(parse(tar).seen.map((e) => [e.name, e.sha256])).toEqual([
      ['a', sha('x')],
      ['b', sha('bbb')],
    ]);
  });

  it('stops when asked, without looking at the rest', () => {
    const parser = new TarParser((header) => {
      if (header.name === 'b') parser.stop();
      return undefined;
    });
    parser.write(Buffer.concat([tarEntry({ name: 'a' }), tarEntry({ name: 'b' }), Buffer.alloc(512, 0xee)]));
    expect(() => parser.end()).not.toThrow();
  });
});

function fixChecksum(block: Buffer, signed = false): void {
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += signed && byte > 127 ? byte - 256 : byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}

function withField(block: Buffer, at: number, text: string): Buffer {
  block.write(text, at, 'latin1');
  fixChecksum(block);
  return block;
}

function withBytes(block: Buffer, at: number, bytes: readonly number[]): Buffer {
  bytes.forEach((byte, i) => (block[at + i] = byte));
  fixChecksum(block);
  return block;
}

function corrupt(data: Buffer, at: number, byte: number): Buffer {
  data[at] = byte;
  return data;
}
