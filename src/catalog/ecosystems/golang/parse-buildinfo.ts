import { parseElf, parseMachO } from '../../_shared/elf.ts';

export interface GoModule {
  readonly path: string;
  readonly version: string;
  readonly sum?: string;
  readonly replacedFrom?: { readonly path: string; readonly version: string };
}

export interface GoBuildInfo {
  readonly goVersion: string;
  readonly path?: string; // the main package path
  readonly main?: GoModule;
  readonly deps: readonly GoModule[];
  readonly settings: Readonly<Record<string, string>>;
}

export type BuildInfoResult = { readonly ok: true; readonly value: GoBuildInfo } | { readonly ok: false; readonly reason: string } | { readonly ok: 'absent' };

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');

/**
 * Whether a build info header may start at `position`: 16-byte aligned, and in an ELF its magic lies
 * inside one of the given file ranges (the writable data segments; none given: anywhere). A copy of the
 * magic elsewhere (the string constant in a program that links debug/buildinfo, in its read-only data)
 * is not it. The streaming scanner (scan-buildinfo.ts) asks the same.
 */
export function headerAllowedAt(position: number, ranges: readonly (readonly [number, number])[]): boolean {
  return position % 16 === 0 && (ranges.length === 0 || ranges.some(([start, end]) => position >= start && position + MAGIC.length <= end));
}

/** The first place in `buf` a header may start (headerAllowedAt), or -1. */
export function findHeader(buf: Buffer, ranges: readonly (readonly [number, number])[]): number {
  const from = ranges.length === 0 ? 0 : Math.min(...ranges.map(([start]) => start));
  for (let at = buf.indexOf(MAGIC, from); at >= 0; at = buf.indexOf(MAGIC, at + 1)) if (headerAllowedAt(at, ranges)) return at;
  return -1;
}

/**
 * Reads the build information the Go linker embeds in every module-aware binary: the 32-byte header
 * found at a 16-byte aligned `\xff Go buildinf:` magic, then either inline varint-prefixed strings
 * (Go ≥ 1.18, flag bit 2) or two pointers to Go string headers (older toolchains, resolved through ELF).
 */
export function parseBuildInfo(buf: Buffer): BuildInfoResult {
  const at = findHeader(buf, parseElf(buf)?.writableData ?? []);
  if (at < 0) return { ok: 'absent' };
  if (at + 32 > buf.length) return { ok: false, reason: 'truncated Go build info header' };
  const ptrSize = buf[at + 14] as number;
  const flags = buf[at + 15] as number;
  let goVersion: string | undefined;
  let modinfo: string | undefined;
  if ((flags & 2) !== 0) {
    let offset = at + 32;
    const first = readVarString(buf, offset);
    if (first === undefined) return { ok: false, reason: 'unreadable Go version string' };
    goVersion = first.text;
    offset = first.next;
    const second = readVarString(buf, offset);
    if (second === undefined) return { ok: false, reason: 'unreadable Go module info string' };
    modinfo = second.text;
  } else {
    if (ptrSize !== 4 && ptrSize !== 8) return { ok: false, reason: 'unsupported Go build info pointer size' };
    const elf = parseElf(buf) ?? parseMachO(buf);
    if (elf === undefined) return { ok: false, reason: 'old-format Go build info outside an ELF or Mach-O file' };
    const bigEndian = (flags & 1) !== 0;
    const readPtr = (o: number): bigint | undefined => {
      if (o + ptrSize > buf.length) return undefined;
      if (ptrSize === 8) return bigEndian ? buf.readBigUInt64BE(o) : buf.readBigUInt64LE(o);
      return BigInt(bigEndian ? buf.readUInt32BE(o) : buf.readUInt32LE(o));
    };
    const readGoString = (address: bigint | undefined): string | undefined => {
      if (address === undefined) return undefined;
      const header = elf.offsetOf(address);
      if (header === undefined) return undefined;
      const data = readPtr(header);
      const length = readPtr(header + ptrSize);
      if (data === undefined || length === undefined || length > 1_000_000n) return undefined;
      const start = elf.offsetOf(data);
      if (start === undefined || start + Number(length) > buf.length) return undefined;
      return buf.toString('utf8', start, start + Number(length));
    };
    goVersion = readGoString(readPtr(at + 16));
    modinfo = readGoString(readPtr(at + 16 + ptrSize));
    if (goVersion === undefined) return { ok: false, reason: 'unreadable old-format Go build info' };
  }
  return { ok: true, value: parseModInfo(goVersion, stripSentinels(modinfo ?? '')) };
}

function readVarString(buf: Buffer, offset: number): { text: string; next: number } | undefined {
  let length = 0;
  let shift = 0;
  let o = offset;
  for (;;) {
    if (o >= buf.length || shift > 35) return undefined;
    const byte = buf[o++] as number;
    length += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  if (o + length > buf.length) return undefined;
  return { text: buf.toString('utf8', o, o + length), next: o + length };
}

/** Module info is wrapped in 16-byte sentinels when written by the linker. */
function stripSentinels(text: string): string {
  if (text.length >= 33 && text[text.length - 17] === '\n') return text.slice(16, -16);
  return text;
}

/** `path`, `mod`, `dep`, `=>` (replaces the line before), `build` lines, tab separated. */
export function parseModInfo(goVersion: string, text: string): GoBuildInfo {
  let path: string | undefined;
  let main: GoModule | undefined;
  const deps: GoModule[] = [];
  const settings: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const fields = line.split('\t');
    const kind = fields[0];
    if (kind === 'path') path = fields[1];
    else if (kind === 'mod' && fields[1] !== undefined) main = module(fields);
    else if (kind === 'dep' && fields[1] !== undefined) deps.push(module(fields));
    else if (kind === '=>' && fields[1] !== undefined) {
      const replaced = line.startsWith('=>') ? deps.pop() : undefined;
      const target = module(fields);
      if (replaced !== undefined) deps.push({ ...target, replacedFrom: { path: replaced.path, version: replaced.version } });
    } else if (kind === 'build' && fields[1] !== undefined) {
      const eq = fields[1].indexOf('=');
      if (eq > 0) settings[fields[1].slice(0, eq)] = fields[1].slice(eq + 1);
    }
  }
  return { goVersion, ...(path !== undefined ? { path } : {}), ...(main !== undefined ? { main } : {}), deps, settings };
}

function module(fields: readonly string[]): GoModule {
  const sum = fields[3];
  return { path: fields[1] as string, version: fields[2] ?? '', ...(sum !== undefined && sum !== '' ? { sum } : {}) };
}
