/** Minimal ELF reading for cataloguers: magic check and virtual address → file offset through PT_LOAD segments. */

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

export interface ElfInfo {
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly machine: number;
  /** Maps a virtual address to a file offset; undefined when no loaded segment covers it. */
  offsetOf(address: bigint): number | undefined;
  /**
   * File ranges [start, end) of the loaded segments that are writable and not executable: where Go's
   * debug/buildinfo looks for the build info (its `.go.buildinfo` section lies in one; stripped of
   * section headers, Go takes the first such segment). Empty when there is none or it was not read:
   * search the whole file then.
   */
  readonly writableData: readonly (readonly [number, number])[];
}

/** The ELF file header's fields this module reads; undefined when not ELF or shorter than its header. */
function fileHeader(buf: Buffer) {
  if (!isElf(buf) || buf.length < 52) return undefined;
  const is64 = buf[4] === 2;
  const littleEndian = buf[5] === 1;
  if (is64 && buf.length < 64) return undefined;
  const u16 = (o: number): number => (littleEndian ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (littleEndian ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number): bigint => (littleEndian ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o));
  return {
    is64,
    littleEndian,
    u16,
    u32,
    u64,
    phoff: is64 ? Number(u64(32)) : u32(28),
    phentsize: u16(is64 ? 54 : 42),
    /** Program headers read: at most MAX_PROGRAM_HEADERS. */
    phnum: Math.min(u16(is64 ? 56 : 44), MAX_PROGRAM_HEADERS),
  };
}

/** Bytes from the file's start that hold the ELF header and program header table; undefined when not ELF (or not yet known: too few bytes). */
export function elfHeadersEnd(buf: Buffer): number | undefined {
  const header = fileHeader(buf);
  return header === undefined ? undefined : header.phoff + header.phnum * header.phentsize;
}

const MAX_PROGRAM_HEADERS = 256;
const PF_X = 1;
const PF_W = 2;

export function parseElf(buf: Buffer): ElfInfo | undefined {
  const header = fileHeader(buf);
  if (header === undefined) return undefined;
  const { is64, littleEndian, u16, u32, u64, phoff, phentsize, phnum } = header;
  const segments: { vaddr: bigint; offset: bigint; filesz: bigint; flags: number }[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (o + (is64 ? 56 : 32) > buf.length) break;
    if (u32(o) !== 1) continue; // PT_LOAD
    if (is64) segments.push({ offset: u64(o + 8), vaddr: u64(o + 16), filesz: u64(o + 32), flags: u32(o + 4) });
    else segments.push({ offset: BigInt(u32(o + 4)), vaddr: BigInt(u32(o + 8)), filesz: BigInt(u32(o + 16)), flags: u32(o + 24) });
  }
  const writableData = segments
    .filter((s) => (s.flags & (PF_X | PF_W)) === PF_W && s.filesz > 0n)
    .map((s) => [Number(s.offset), Number(s.offset + s.filesz)] as const);
  return {
    is64,
    littleEndian,
    machine: u16(18),
    writableData,
    offsetOf(address) {
      for (const s of segments) {
        if (address >= s.vaddr && address < s.vaddr + s.filesz) return Number(address - s.vaddr + s.offset);
      }
      return undefined;
    },
  };
}

/** 64-bit little-endian Mach-O (Go's darwin binaries): the same address map from LC_SEGMENT_64 commands. */
export function parseMachO(buf: Buffer): ElfInfo | undefined {
  if (buf.length < 32 || buf.readUInt32LE(0) !== 0xfeedfacf) return undefined;
  const ncmds = buf.readUInt32LE(16);
  const segments: { vaddr: bigint; offset: bigint; filesz: bigint }[] = [];
  let o = 32;
  for (let i = 0; i < ncmds && i < 1024 && o + 8 <= buf.length; i++) {
    const cmd = buf.readUInt32LE(o);
    const size = buf.readUInt32LE(o + 4);
    if (size < 8) break;
    if (cmd === 0x19 && o + 56 <= buf.length) {
      segments.push({ vaddr: buf.readBigUInt64LE(o + 24), offset: buf.readBigUInt64LE(o + 40), filesz: buf.readBigUInt64LE(o + 48) });
    }
    o += size;
  }
  return {
    is64: true,
    littleEndian: true,
    machine: buf.readUInt32LE(4),
    writableData: [], // not read for Mach-O: the build info is searched for in the whole file
    offsetOf(address) {
      for (const s of segments) {
        if (s.filesz > 0n && address >= s.vaddr && address < s.vaddr + s.filesz) return Number(address - s.vaddr + s.offset);
      }
      return undefined;
    },
  };
}
