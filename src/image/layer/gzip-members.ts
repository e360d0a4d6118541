import { Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, inflateRawSync, type InflateRaw } from 'node:zlib';
import { AppError } from '../../core/errors.ts';

/** A gzip header longer than this is refused: its name and comment have no length limit of their own (an extra field is at most 64 KiB). */
export const MAX_GZIP_HEADER_BYTES = 1024 * 1024;

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED_FLAGS = 0xe0;

/**
 * Length of the RFC 1952 member header at the start of `bytes`, or undefined while more bytes are
 * needed. Not a gzip header (magic, method, reserved flags), or one over MAX_GZIP_HEADER_BYTES, is
 * ARCHIVE_INVALID. The header's own CRC-16 (FHCRC) is skipped, not checked: see createGzipMembers.
 */
export function gzipHeaderLength(bytes: Buffer): number | undefined {
  if (bytes.length >= 1 && bytes[0] !== 0x1f) throw notGzip('bad magic');
  if (bytes.length >= 2 && bytes[1] !== 0x8b) throw notGzip('bad magic');
  if (bytes.length >= 3 && bytes[2] !== 8) throw notGzip('unknown compression method');
  if (bytes.length < 10) return undefined;
  const flags = bytes[3] as number;
  if ((flags & RESERVED_FLAGS) !== 0) throw notGzip('reserved header flags set');
  let at = 10;
  if ((flags & FEXTRA) !== 0) {
    if (bytes.length < at + 2) return within(bytes);
    at += 2 + bytes.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if ((flags & flag) === 0) continue;
    if (bytes.length < at) return within(bytes);
    const nul = bytes.indexOf(0, at);
    if (nul === -1) return within(bytes);
    at = nul + 1;
  }
  if ((flags & FHCRC) !== 0) at += 2;
  if (at > MAX_GZIP_HEADER_BYTES) throw notGzip('header too long');
  return bytes.length < at ? within(bytes) : at;
}

function within(bytes: Buffer): undefined {
  if (bytes.length > MAX_GZIP_HEADER_BYTES) throw notGzip('header too long');
  return undefined;
}

function notGzip(reason: string): AppError {
  return new AppError('ARCHIVE_INVALID', 'the layer is not valid compressed data', { details: { reason: `gzip: ${reason}` } });
}

function truncated(): AppError {
  return new AppError('ARCHIVE_TRUNCATED', 'the layer stream ends early', { details: { reason: 'gzip' } });
}

/**
 * Gunzip for a layer whose diff id is checked: the gzip members (RFC 1952 header, raw deflate data,
 * CRC-32 and size trailer; one or more of them, as `gunzip` takes them) read with zlib's raw inflater,
 * so zlib does not compute the CRC-32 of every output byte. That check is redundant here: the caller
 * hashes the same output with SHA-256 and compares it to the diff id, a strictly stronger check of the
 * same bytes, and the compressed bytes are checked against the blob digest. The trailer's size is still
 * compared with the output. ~10% less inflate time on the bench image's 168 MB layer (inflate is the
 * longest stage of a cold read). Layers without a diff id to check keep zlib's gunzip.
 *
 * After a member: more input starting with a zero byte is ignored (padding, as Node's gunzip does);
 * anything else must be another member.
 */
export function createGzipMembers(chunkSize: number): Transform {
  return new GzipMembers(chunkSize);
}

type State = 'header' | 'body' | 'trailer' | 'between' | 'padding';

class GzipMembers extends Transform {
  readonly #chunkSize: number;
  #state: State = 'header';
  /** Bytes of a header or trailer not complete yet. */
  #held: Buffer = Buffer.alloc(0);
  #inflater: InflateRaw | undefined;
  /** Settles when the member's inflater has handed on all its output; rejects if it fails. */
  #ended: Promise<void> = Promise.resolve();
  /** Rejects with the member's inflater's error; never resolves. */
  #failed: Promise<never> = new Promise<never>(() => undefined);
  #memberBytes = 0;
  #members = 0;

  constructor(chunkSize: number) {
    super();
    this.#chunkSize = chunkSize;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#feed(chunk).then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    this.#finish().then(() => callback(), callback);
  }

  override _read(size: number): void {
    // our reader wants more: let the member's inflater hand on what it holds
    this.#inflater?.resume();
    super._read(size);
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.#inflater?.destroy();
    callback(error);
  }

  async #feed(input: Buffer): Promise<void> {
    let chunk = input;
    while (chunk.length > 0) {
      switch (this.#state) {
        case 'padding':
          return;
        case 'between':
          if (chunk[0] === 0) {
            this.#state = 'padding';
            return;
          }
          this.#state = 'header';
          break;
        case 'header': {
          const bytes = this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk]);
          const length = gzipHeaderLength(bytes);
          if (length === undefined) {
            this.#held = Buffer.from(bytes);
            return;
          }
          chunk = bytes.subarray(length);
          this.#held = Buffer.alloc(0);
          this.#startMember();
          break;
        }
        case 'body': {
          const inflater = this.#inflater as InflateRaw;
          const before = inflater.bytesWritten;
          // a failing inflater (corrupt data) errors and may be destroyed before it calls back the write
          const written = new Promise<void>((resolve, reject) => inflater.write(chunk, (error) => (error ? reject(error) : resolve())));
          written.catch(() => undefined);
          await Promise.race([written, this.#failed]);
          const used = inflater.bytesWritten - before;
          // all taken: the deflate data may go on in the next chunk (or end exactly here, which the
          // next write shows by taking nothing)
          if (used === chunk.length) return;
          chunk = chunk.subarray(used);
          await this.#ended;
          this.#state = 'trailer';
          break;
        }
        case 'trailer': {
          const bytes = this.#held.length === 0 ? chunk : Buffer.concat([this.#held, chunk]);
          if (bytes.length < 8) {
            this.#held = Buffer.from(bytes);
            return;
          }
          if (bytes.readUInt32LE(4) !== this.#memberBytes % 2 ** 32) throw notGzip('the trailer size does not match the data');
          chunk = bytes.subarray(8);
          this.#held = Buffer.alloc(0);
          this.#inflater = undefined;
          this.#state = 'between';
          break;
        }
      }
    }
  }

  #startMember(): void {
    const inflater = createInflateRaw({ chunkSize: this.#chunkSize });
    this.#inflater = inflater;
    this.#memberBytes = 0;
    this.#members += 1;
    this.#state = 'body';
    inflater.on('data', (data: Buffer) => {
      this.#memberBytes += data.length;
      if (!this.push(data)) inflater.pause();
    });
    this.#failed = new Promise<never>((_resolve, reject) => inflater.once('error', reject));
    // awaited only beside a write or the end (as #ended is): a failure is not unhandled meanwhile
    this.#failed.catch(() => undefined);
    const ended = new Promise<void>((resolve) => inflater.once('end', resolve));
    this.#ended = Promise.race([ended, this.#failed]);
    this.#ended.catch(() => undefined);
  }

  async #finish(): Promise<void> {
    if (this.#state === 'body') {
      // the input ended inside a member's deflate data, or exactly at its end: the inflater says which
      const inflater = this.#inflater as InflateRaw;
      inflater.end();
      await this.#ended;
      throw truncated(); // the trailer is missing either way
    }
    if (this.#members === 0 || this.#state === 'header' || this.#state === 'trailer') throw truncated();
  }
}

/**
 * createGzipMembers for a blob held whole, in one call per member (a small layer: no stream stages
 * to set up). The same framing, checks and errors; undefined when the output would pass `maxOutput`
 * bytes (the caller streams the blob instead, where the limits are enforced as it flows).
 */
export function inflateGzipMembersSync(bytes: Buffer, maxOutput: number): Buffer | undefined {
  const parts: Buffer[] = [];
  let total = 0;
  let rest = bytes;
  for (;;) {
    const header = gzipHeaderLength(rest);
    if (header === undefined) throw truncated();
    let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      inflated = inflateRawSync(rest.subarray(header), { info: true, maxOutputLength: Math.max(1, maxOutput - total) }) as unknown as typeof inflated;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
      throw error; // zlib's own errors: the caller maps them as for a stream
    }
    const { buffer, engine } = inflated;
    total += buffer.length;
    if (total > maxOutput) return undefined;
    parts.push(buffer);
    rest = rest.subarray(header + engine.bytesWritten);
    if (rest.length < 8) throw truncated();
    if (rest.readUInt32LE(4) !== buffer.length % 2 ** 32) throw notGzip('the trailer size does not match the data');
    rest = rest.subarray(8);
    // after a member: nothing, zero padding (ignored), or another member
    if (rest.length === 0 || rest[0] === 0) break;
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, total);
}
