import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, isCi } from '../../../testing/peers.ts';
import { parseBuildInfo } from './parse-buildinfo.ts';
import { createBuildInfoScanner, type ScanResult } from './scan-buildinfo.ts';

/** Feeds `bytes` to a scanner in chunks of the given sizes (cycled). */
function scan(bytes: Buffer, sizes: readonly number[]): { result: ScanResult; doneAt: number } {
  const scanner = createBuildInfoScanner();
  let at = 0;
  let doneAt = -1;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length] as number;
    scanner.write(bytes.subarray(at, at + size));
    at += size;
    if (scanner.done && doneAt < 0) doneAt = Math.min(at, bytes.length);
  }
  return { result: scanner.finish(), doneAt };
}

const inline = (prefix: number, modinfo: string): Buffer => {
  const header = Buffer.alloc(32);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(header);
  header[14] = 8;
  header[15] = 2;
  const varint = (n: number): Buffer => Buffer.from(n < 128 ? [n] : [(n & 0x7f) | 0x80, n >> 7]);
  return Buffer.concat([Buffer.alloc(prefix, 0x41), header, varint(8), Buffer.from('go1.22.1'), varint(modinfo.length), Buffer.from(modinfo)]);
};

const REAL_GO = '/usr/bin/docker-registry'; // Debian's docker-registry: Go 1.19, inline build info

describe('golang/scan-buildinfo', () => {
  it.skipIf(!existsSync(REAL_GO) && !isCi)('gives what parseBuildInfo gives on a real Go binary, whatever the chunking, and stops early', () => {
    const bytes = readFileSync(REAL_GO);
    const whole = parseBuildInfo(bytes);
    expect(whole.ok).toBe(true);
    for (const sizes of [[65536], [7, 1_000_003, 13], [4099, 15]]) {
      const { result, doneAt } = scan(bytes, sizes);
      expect(result, String(sizes)).toEqual(whole);
      // done within a chunk of the build info's end: the rest (section headers…) need not be read
      expect(doneAt).toBeGreaterThan(0);
      expect(doneAt).toBeLessThanOrEqual(bytes.indexOf('\xff Go buildinf:', 0, 'latin1') + 64 * 1024 + Math.max(...sizes));
    }
  });

  it('finds a header split across chunks at any point, and only at 16-byte aligned offsets', () => {
    const modinfo = `${'0123456789abcdef'}path\texample.com/app\nmod\texample.com/app\tv1.2.3\th1:x=\n${'dep\tgithub.com/a/b\tv0.1.0\th1:y=\n'.repeat(20)}${'0123456789abcdef'}`;
    // an unaligned decoy magic at offset 3, the real header at offset 96
    const decoy = Buffer.concat([Buffer.alloc(3), inline(0, '').subarray(0, 20)]);
    const bytes = Buffer.concat([decoy, inline(96 - decoy.length, modinfo)]);
    const whole = parseBuildInfo(bytes);
    expect(whole).toMatchObject({ ok: true, value: { goVersion: 'go1.22.1', main: { path: 'example.com/app', version: 'v1.2.3' } } });
    for (let size = 1; size <= 70; size++) expect(scan(bytes, [size]).result, `chunk ${String(size)}`).toEqual(whole);
  });

  /** A 64-bit little-endian ELF: a read-only segment at 0x1000 and a writable data segment at 0x2000, each 4 KiB. */
  const elf = (readOnly: Buffer, data: Buffer): Buffer => {
    const file = Buffer.alloc(0x3000 + 0x800, 0x5a); // section headers and the like after the segments
    file.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
    file.writeUInt16LE(2, 16); // ET_EXEC
    file.writeUInt16LE(62, 18); // x86-64
    file.writeBigUInt64LE(64n, 32); // e_phoff
    file.writeUInt16LE(56, 54); // e_phentsize
    file.writeUInt16LE(2, 56); // e_phnum
    const phdr = (i: number, flags: number, offset: number): void => {
      const o = 64 + i * 56;
      file.writeUInt32LE(1, o); // PT_LOAD
      file.writeUInt32LE(flags, o + 4);
      file.writeBigUInt64LE(BigInt(offset), o + 8);
      file.writeBigUInt64LE(BigInt(0x400000 + offset), o + 16);
      file.writeBigUInt64LE(0x1000n, o + 32); // p_filesz
      file.writeBigUInt64LE(0x1000n, o + 40);
    };
    phdr(0, 4, 0x1000); // R
    phdr(1, 6, 0x2000); // RW
    readOnly.copy(file, 0x1000);
    data.copy(file, 0x2000);
    return file;
  };

  it("in an ELF, looks for the header only in writable data segments (Go's own rule), not at a copy of the magic in read-only data", () => {
    const modinfo = `${'0123456789abcdef'}path\texample.com/app\nmod\texample.com/app\tv1.2.3\th1:x=\n${'0123456789abcdef'}`;
    // a program linking debug/buildinfo holds the magic as a 16-byte aligned constant in its read-only data
    const decoy = Buffer.concat([Buffer.from('\xff Go buildinf:', 'latin1'), Buffer.from([8, 2]), Buffer.alloc(16, 0xff)]);
    const bytes = elf(decoy, inline(16, modinfo));
    const whole = parseBuildInfo(bytes);
    expect(whole).toMatchObject({ ok: true, value: { goVersion: 'go1.22.1', main: { path: 'example.com/app', version: 'v1.2.3' } } });
    for (const size of [1, 7, 64, 100, 4096, 65536]) expect(scan(bytes, [size]).result, `chunk ${String(size)}`).toEqual(whole);
    // the same bytes outside an ELF (no program headers to go by): the first aligned magic is taken,
    // and the bytes after the constant read as a "Go version" of garbage
    const flat = Buffer.from(bytes);
    flat[0] = 0;
    expect(parseBuildInfo(flat)).toMatchObject({ ok: true, value: { goVersion: 'Z'.repeat(0x5a) } });
    // an ELF whose data holds no build info: absent, and done once past the data segment
    const plain = elf(decoy, Buffer.alloc(64));
    const { result, doneAt } = scan(plain, [1000]);
    expect(result).toEqual({ ok: 'absent' });
    expect(doneAt).toBeGreaterThanOrEqual(0x3000);
    expect(doneAt).toBeLessThan(Math.min(0x3000 + 1000, plain.length));
  });

  it('reports absence, the pointer format and oversized build info without keeping the file', () => {
    expect(scan(Buffer.alloc(100_000, 0x41), [4096]).result).toEqual({ ok: 'absent' });
    const pointers = inline(32, '');
    pointers[32 + 15] = 0; // flags: no inline strings (Go < 1.18)
    expect(scan(pointers, [10]).result).toEqual({ ok: 'needs-file' });
    const header = inline(0, '').subarray(0, 32);
    const huge = Buffer.concat([header, Buffer.from([0x80, 0x80, 0x80, 0x04])]); // an 8 MiB version string
    expect(scan(huge, [5]).result).toMatchObject({ ok: false });
  });

  it('reads the syft pointer-format fixture as needs-file (the whole-file parser handles it)', () => {
    const fixture = join(corpusDir(), 'syft-fixtures/cmd/syft/internal/test/integration/testdata/image-go-bin-arch-coverage/test');
    if (!existsSync(fixture)) {
      if (isCi) throw new Error(`corpus fixture missing: ${fixture}`);
      return;
    }
    expect(scan(readFileSync(fixture), [65536]).result).toEqual({ ok: 'needs-file' });
  });
});
