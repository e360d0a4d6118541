import { gzipSync, zstdCompressSync } from 'node:zlib';

/**
 * Hand-written tar archives for hostile-input tests: every header field is ours to set (names with
 * '..', absolute paths, device nodes, bad checksums), so tests craft what no well-behaved tool writes.
 */
export interface CraftEntry {
  readonly name: string;
  /** Tar typeflag: '0' file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo. */
  readonly type?: '0' | '1' | '2' | '3' | '4' | '5' | '6' | 'x' | string;
  readonly body?: Buffer | string;
  readonly linkname?: string;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly mtime?: number;
  /** Use a PAX header for the path (any length). */
  readonly pax?: boolean;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

export function tarHeader(entry: CraftEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  const name = Buffer.from(entry.name);
  if (name.length > 100) {
    // ustar prefix split at a '/'
    const cut = entry.name.lastIndexOf('/', 155);
    block.write(entry.name.slice(cut + 1), 0, 100, 'utf8');
    block.write(entry.name.slice(0, cut), 345, 155, 'utf8');
  } else {
    name.copy(block, 0);
  }
  block.write(octal(entry.mode ?? (entry.type === '5' ? 0o755 : 0o644), 8), 100, 'latin1');
  block.write(octal(entry.uid ?? 0, 8), 108, 'latin1');
  block.write(octal(entry.gid ?? 0, 8), 116, 'latin1');
  block.write(octal(size, 12), 124, 'latin1');
  block.write(octal(entry.mtime ?? 1_700_000_000, 12), 136, 'latin1');
  block.write(entry.type ?? '0', 156, 'latin1');
  if (entry.linkname !== undefined) block.write(entry.linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 'latin1');
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

function padded(body: Buffer): Buffer[] {
  const rest = body.length % 512;
  return rest === 0 ? [body] : [body, Buffer.alloc(512 - rest)];
}

function paxRecord(key: string, value: string): string {
  const text = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(text) + 1;
  while (Buffer.byteLength(`${length}${text}`) !== length) length += 1;
  return `${length}${text}`;
}

/** One entry: header (+ PAX header when asked) and padded body. */
export function tarEntry(entry: CraftEntry): Buffer {
  const body = Buffer.isBuffer(entry.body) ? entry.body : Buffer.from(entry.body ?? '');
  const parts: Buffer[] = [];
  if (entry.pax === true) {
    const records = Buffer.from(
      paxRecord('path', entry.name) + (entry.linkname !== undefined ? paxRecord('linkpath', entry.linkname) : ''),
    );
    parts.push(tarHeader({ name: 'PaxHeaders/x', type: 'x' }, records.length), ...padded(records));
    parts.push(tarHeader({ ...entry, name: 'pax-placeholder', linkname: '' }, body.length));
  } else {
    parts.push(tarHeader(entry, body.length));
  }
  if (body.length > 0) parts.push(...padded(body));
  return Buffer.concat(parts);
}

/** A whole archive with its end-of-archive marker (two zero blocks). */
export function craftTar(entries: readonly CraftEntry[]): Buffer {
  return Buffer.concat([...entries.map(tarEntry), Buffer.alloc(1024)]);
}

export function gzip(data: Buffer): Buffer {
  return gzipSync(data);
}

export function zstd(data: Buffer): Buffer {
  return zstdCompressSync(data);
}
