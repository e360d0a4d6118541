import { elfHeadersEnd, isElf, parseElf } from '../../_shared/elf.ts';
import { headerAllowedAt, parseBuildInfo, type BuildInfoResult } from './parse-buildinfo.ts';

/** `needs-file`: the pre-1.18 pointer format, which needs random access to the whole file. */
export type ScanResult = BuildInfoResult | { readonly ok: 'needs-file' };

/** Consumes a file chunk by chunk, keeping only the Go build info's own bytes. */
export interface BuildInfoScanner {
  write(chunk: Buffer): void;
  /** True once the build info is complete (or known to need the whole file): the rest can be skipped. */
  readonly done: boolean;
  finish(): ScanResult;
  /** The build info's own bytes (from the magic on), once complete: parseBuildInfo reads them alone. */
  kept(): Buffer | undefined;
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER = 32;
/** Build info larger than this is refused (real ones are a few KiB to a few hundred KiB). */
const MAX_INFO = 4 * 1024 * 1024;

type Ranges = readonly (readonly [number, number])[];

/** The ELF header and program headers are read from at most this many first bytes; beyond, the whole file is searched. */
const MAX_HEADERS = 64 * 1024;

/**
 * Where to search, from the file's first bytes: an ELF's writable data segments (as parseBuildInfo
 * does, see findHeader), or everywhere (not ELF, or no such segment); undefined until enough bytes
 * have arrived to tell.
 */
function searchRanges(head: Buffer): Ranges | undefined {
  if (head.length < 4) return undefined;
  if (!isElf(head)) return [];
  const end = elfHeadersEnd(head);
  if (end === undefined) return undefined; // fewer than 64 bytes
  if (end > MAX_HEADERS) return [];
  if (head.length < end) return undefined;
  return parseElf(head)?.writableData ?? [];
}

/**
 * The streaming form of parseBuildInfo, for a bounded content probe: finds the 16-byte aligned
 * `\xff Go buildinf:` header as the bytes go by (a match may span chunks), in an ELF's writable data
 * segments only (read from the program headers at the file's start; Go's own reader looks there),
 * then keeps the header and the two varint-prefixed strings that follow it (Go ≥ 1.18) and nothing
 * else. Done (absent) once past the last data segment. Memory: the build info plus 15 bytes, whatever
 * the executable's size.
 */
export function createBuildInfoScanner(): BuildInfoScanner {
  let offset = 0; // file offset of the next chunk's first byte
  let tail = Buffer.alloc(0); // the last MAGIC.length - 1 bytes before `offset`, for matches across chunks
  let kept: Buffer | undefined; // bytes from the magic on, at most `need`
  let need = HEADER;
  let state: 'searching' | 'reading' | 'complete' | 'pointers' | 'too-big' | 'absent' = 'searching';
  let ranges: Ranges | undefined; // where a header may start; [] anywhere
  let head: Buffer[] = []; // the first bytes, until `ranges` is known
  let searchEnd = Number.POSITIVE_INFINITY; // no header starts at or after this file offset

  const accepted = (position: number): boolean => headerAllowedAt(position, ranges as Ranges);

  const findMagic = (chunk: Buffer): number => {
    // a match starting in the tail (spanning into this chunk)
    if (tail.length > 0) {
      const joined = Buffer.concat([tail, chunk.subarray(0, MAGIC.length - 1)]);
      for (let at = joined.indexOf(MAGIC); at >= 0 && at < tail.length; at = joined.indexOf(MAGIC, at + 1)) {
        if (accepted(offset - tail.length + at)) return at - tail.length;
      }
    }
    // bytes before the next data segment are not searched at all
    let from = 0;
    if ((ranges as Ranges).length > 0) {
      let next = Number.POSITIVE_INFINITY;
      for (const [start, end] of ranges as Ranges) if (end > offset) next = Math.min(next, start);
      from = next === Number.POSITIVE_INFINITY ? chunk.length : Math.max(next - offset, 0);
    }
    for (let at = chunk.indexOf(MAGIC, from); at >= 0; at = chunk.indexOf(MAGIC, at + 1)) {
      if (accepted(offset + at)) return at;
    }
    return Number.NaN;
  };

  /** Grows `need` as the header and varints become readable; settles the state when it can. */
  const advance = (): void => {
    const buf = kept as Buffer;
    if (buf.length < HEADER) return;
    if (((buf[15] as number) & 2) === 0) {
      state = 'pointers';
      return;
    }
    let at = HEADER;
    for (let field = 0; field < 2; field++) {
      const varint = readVarint(buf, at);
      if (varint === undefined) {
        if (buf.length >= at + 10) {
          state = 'complete'; // a malformed varint: parseBuildInfo reports it
          return;
        }
        need = Math.max(need, at + 10);
        return;
      }
      at = varint.next + varint.value;
      need = Math.max(need, at);
      if (need > MAX_INFO) {
        state = 'too-big';
        return;
      }
      if (buf.length < at) return;
    }
    kept = buf.subarray(0, at);
    state = 'complete';
  };

  const write = (input: Buffer): void => {
    let chunk = input;
    if (ranges === undefined) {
      head.push(input);
      const bytes = head.length === 1 ? input : Buffer.concat(head);
      ranges = searchRanges(bytes);
      if (ranges === undefined) {
        head = [bytes];
        return;
      }
      head = [];
      chunk = bytes;
      if (ranges.length > 0) searchEnd = Math.max(...ranges.map(([, end]) => end));
    }
    let from = 0;
    if (state === 'searching') {
      const at = findMagic(chunk);
      if (Number.isNaN(at)) {
        tail = Buffer.from(Buffer.concat([tail, chunk.subarray(-(MAGIC.length - 1))]).subarray(-(MAGIC.length - 1)));
        offset += chunk.length;
        if (offset >= searchEnd) state = 'absent'; // past the last data segment: the rest is not looked at
        return;
      }
      kept = at < 0 ? Buffer.from(tail.subarray(tail.length + at)) : Buffer.alloc(0);
      from = Math.max(at, 0);
      state = 'reading';
    }
    // while reading, `need` is always beyond what is kept: each pass takes more of the chunk
    while (state === 'reading' && from < chunk.length) {
      const take = Math.min(need - (kept as Buffer).length, chunk.length - from);
      kept = Buffer.concat([kept as Buffer, chunk.subarray(from, from + take)]);
      from += take;
      advance();
    }
    offset += chunk.length;
  };

  return {
    get done() {
      return state !== 'searching' && state !== 'reading';
    },
    write,
    kept() {
      return state === 'complete' ? kept : undefined;
    },
    finish() {
      if (ranges === undefined && head.length > 0) {
        // the file ended before its headers did: search what there is
        const bytes = Buffer.concat(head);
        head = [];
        ranges = [];
        write(bytes);
      }
      if (state === 'searching' || state === 'absent') return { ok: 'absent' };
      if (state === 'pointers') return { ok: 'needs-file' };
      if (state === 'too-big') return { ok: false, reason: 'Go build info larger than 4 MiB' };
      return parseBuildInfo(kept as Buffer);
    },
  };
}

function readVarint(buf: Buffer, offset: number): { value: number; next: number } | undefined {
  let value = 0;
  let shift = 0;
  let o = offset;
  for (;;) {
    if (o >= buf.length || shift > 35) return undefined;
    const byte = buf[o++] as number;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return { value, next: o };
    shift += 7;
  }
}
