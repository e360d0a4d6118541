/** The dynamic-linking facts of an ELF file: PT_INTERP, DT_NEEDED, DT_RPATH, DT_RUNPATH (pure, bounds-checked). */
export interface ElfDynamic {
  readonly interpreter?: string;
  readonly needed: readonly string[];
  readonly rpath: readonly string[];
  readonly runpath: readonly string[];
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0n;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const DT_RPATH = 15n;
const DT_RUNPATH = 29n;

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 16 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** undefined when the bytes are not a readable ELF file; a static binary gives empty lists. */
export function readElfDynamic(bytes: Uint8Array): ElfDynamic | undefined {
  if (!isElf(bytes)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const is64 = bytes[4] === 2;
  const le = bytes[5] === 1;
  const n = bytes.length;
  const ok = (o: number, len: number): boolean => o >= 0 && o + len <= n;
  const u16 = (o: number): number | undefined => (ok(o, 2) ? view.getUint16(o, le) : undefined);
  const u32 = (o: number): number | undefined => (ok(o, 4) ? view.getUint32(o, le) : undefined);
  const word = (o: number): bigint | undefined => (is64 ? (ok(o, 8) ? view.getBigUint64(o, le) : undefined) : ok(o, 4) ? BigInt(view.getUint32(o, le)) : undefined);
  const sword = (o: number): bigint | undefined => (is64 ? (ok(o, 8) ? view.getBigInt64(o, le) : undefined) : ok(o, 4) ? BigInt(view.getInt32(o, le)) : undefined);
  const phoff = word(is64 ? 32 : 28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  if (phoff === undefined || phentsize === undefined || phnum === undefined) return undefined;
  const loads: { vaddr: bigint; offset: bigint; filesz: bigint }[] = [];
  let interpreter: string | undefined;
  let dynamic: { offset: number; size: number } | undefined;
  const cstr = (o: number): string | undefined => {
    if (!ok(o, 1)) return undefined;
    let end = o;
    while (end < n && bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(o, end));
  };
  for (let i = 0; i < phnum && i < 512; i++) {
    const o = Number(phoff) + i * phentsize;
    const type = u32(o);
    if (type === undefined) break;
    const offset = is64 ? word(o + 8) : word(o + 4);
    const vaddr = is64 ? word(o + 16) : word(o + 8);
    const filesz = is64 ? word(o + 32) : word(o + 16);
    if (offset === undefined || vaddr === undefined || filesz === undefined) break;
    if (type === PT_LOAD) loads.push({ vaddr, offset, filesz });
    else if (type === PT_INTERP) interpreter = cstr(Number(offset));
    else if (type === PT_DYNAMIC) dynamic = { offset: Number(offset), size: Number(filesz) };
  }
  const needed: bigint[] = [];
  const rpath: bigint[] = [];
  const runpath: bigint[] = [];
  let strtab: bigint | undefined;
  if (dynamic !== undefined) {
    const entry = is64 ? 16 : 8;
    for (let o = dynamic.offset; o + entry <= dynamic.offset + dynamic.size && ok(o, entry); o += entry) {
      const tag = sword(o);
      const val = word(o + (is64 ? 8 : 4));
      if (tag === undefined || val === undefined || tag === DT_NULL) break;
      if (tag === DT_NEEDED) needed.push(val);
      else if (tag === DT_RPATH) rpath.push(val);
      else if (tag === DT_RUNPATH) runpath.push(val);
      else if (tag === DT_STRTAB) strtab = val;
    }
  }
  const toOffset = (address: bigint): number | undefined => {
    for (const s of loads) if (address >= s.vaddr && address < s.vaddr + s.filesz) return Number(address - s.vaddr + s.offset);
    return undefined;
  };
  const strings = (list: readonly bigint[]): string[] => {
    if (strtab === undefined) return [];
    const base = toOffset(strtab);
    if (base === undefined) return [];
    const out: string[] = [];
    for (const v of list) {
      const s = cstr(base + Number(v));
      if (s !== undefined && s !== '') out.push(s);
    }
    return out;
  };
  const split = (list: string[]): string[] => list.flatMap((s) => s.split(':')).filter((s) => s !== '');
  return { ...(interpreter !== undefined && interpreter !== '' ? { interpreter } : {}), needed: strings(needed), rpath: split(strings(rpath)), runpath: split(strings(runpath)) };
}
