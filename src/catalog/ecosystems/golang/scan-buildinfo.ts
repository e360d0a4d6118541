import { parseBuildInfo, type BuildInfoResult } from './parse-buildinfo.ts';

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

/**
 * The streaming form of parseBuildInfo, for a bounded content probe: finds the 16-byte aligned
 * `\xff Go buildinf:` header as the bytes go by (a match may span chunks), then keeps the header and
 * the two varint-prefixed strings that follow it (Go ≥ 1.18) and nothing else. Memory: the build
 * info plus 15 bytes, whatever the executable's size.
 */
export function createBuildInfoScanner(): BuildInfoScanner {
  let offset = 0; // file offset of the next chunk's first byte
  let tail = Buffer.alloc(0); // the last MAGIC.length - 1 bytes before `offset`, for matches across chunks
  let kept: Buffer | undefined; // bytes from the magic on, at most `need`
  let need = HEADER;
  let state: 'searching' | 'reading' | 'complete' | 'pointers' | 'too-big' = 'searching';

  const findMagic = (chunk: Buffer): number => {
    // a match starting in the tail (spanning into this chunk)
    if (tail.length > 0) {
      const joined = Buffer.concat([tail, chunk.subarray(0, MAGIC.length - 1)]);
      for (let at = joined.indexOf(MAGIC); at >= 0 && at < tail.length; at = joined.indexOf(MAGIC, at + 1)) {
        if ((offset - tail.length + at) % 16 === 0) return at - tail.length;
      }
    }
    for (let at = chunk.indexOf(MAGIC); at >= 0; at = chunk.indexOf(MAGIC, at + 1)) {
      if ((offset + at) % 16 === 0) return at;
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

  return {
    get done() {
      return state !== 'searching' && state !== 'reading';
    },
    write(chunk) {
      let from = 0;
      if (state === 'searching') {
        const at = findMagic(chunk);
        if (Number.isNaN(at)) {
          tail = Buffer.from(Buffer.concat([tail, chunk.subarray(-(MAGIC.length - 1))]).subarray(-(MAGIC.length - 1)));
          offset += chunk.length;
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
    },
    kept() {
      return state === 'complete' ? kept : undefined;
    },
    finish() {
      if (state === 'searching') return { ok: 'absent' };
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
