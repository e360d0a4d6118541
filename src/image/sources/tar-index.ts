import { createReadStream } from 'node:fs';
import { BLOB_READ_CHUNK } from '../layer/compression.ts';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AppError } from '../../core/errors.ts';

export type TarMemberType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface TarMember {
  /** Normalised relative name: 'blobs/sha256/ab…', no leading './', no trailing '/'. */
  readonly name: string;
  readonly type: TarMemberType;
  readonly size: number;
  /** Byte offset of the member's data in the archive file. */
  readonly offset: number;
  readonly linkname?: string;
}

export interface TarIndexLimits {
  readonly maxEntries: number;
  readonly maxPathLength: number;
  /** Largest PAX / GNU long-name record accepted. */
  readonly maxHeaderBytes?: number;
}

/** Members of an archive file found by reading headers only, then read in place by offset. */
export interface TarIndex {
  readonly path: string;
  readonly members: ReadonlyMap<string, TarMember>;
  /** The regular-file member at `name`, following symlinks and hard links inside the archive. */
  find(name: string): TarMember | undefined;
  /** Streams a member's bytes straight from the archive file. */
  open(member: TarMember): Readable;
  /** Reads a member into memory; LIMIT_MANIFEST_SIZE above `limit`. */
  read(member: TarMember, limit: number): Promise<Buffer>;
}

const BLOCK = 512;

/**
 * Indexes an (uncompressed) tar file without extracting it: reads each 512-byte header, skips the
 * data by offset, handles PAX and GNU long names. Member names that are absolute
 * (ARCHIVE_ABSOLUTE_PATH) or contain '..' (ARCHIVE_PATH_TRAVERSAL) are refused outright.
 */
export async function indexTarFile(path: string, limits: TarIndexLimits): Promise<TarIndex> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new AppError('SOURCE_NOT_FOUND', 'the archive file cannot be opened', { cause, details: { path } });
  }
  const members = new Map<string, TarMember>();
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new AppError('SOURCE_INVALID', 'the archive is not a regular file', { details: { path } });
    const fileSize = stat.size;
    const maxHeader = limits.maxHeaderBytes ?? 1024 * 1024;
    const block = Buffer.alloc(BLOCK);
    let position = 0;
    let count = 0;
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Record<string, string> = {};
    let globalPax: Record<string, string> = {};
    let sawEnd = false;
    const magic = Buffer.alloc(4);
    await handle.read(magic, 0, 4, 0);
    if ((magic[0] === 0x1f && magic[1] === 0x8b) || magic.readUInt32BE(0) === 0x28b52ffd) {
      throw new AppError('ARCHIVE_COMPRESSION_UNSUPPORTED', 'the archive is compressed; decompress it first', { details: { path } });
    }
    while (position + BLOCK <= fileSize) {
      const { bytesRead } = await handle.read(block, 0, BLOCK, position);
      if (bytesRead < BLOCK) break;
      if (block.every((b) => b === 0)) {
        sawEnd = true;
        break;
      }
      if (!validChecksum(block)) throw new AppError('ARCHIVE_INVALID', 'the archive has a corrupt tar header', { details: { offset: position } });
      count += 1;
      if (count > limits.maxEntries) throw new AppError('LIMIT_ENTRY_COUNT', 'the archive has more members than the limit', { details: { limit: limits.maxEntries } });
      const typeflag = String.fromCharCode(block[156] ?? 0x30);
      const size = parseNumber(block.subarray(124, 136), position);
      const paxSize = pax['size'] !== undefined && /^\d+$/.test(pax['size']) ? Number(pax['size']) : undefined;
      const dataSize = paxSize ?? size;
      const dataOffset = position + BLOCK;
      const next = dataOffset + Math.ceil(dataSize / BLOCK) * BLOCK;
      if (dataOffset + dataSize > fileSize) throw new AppError('ARCHIVE_TRUNCATED', 'the archive ends inside a member', { details: { path } });
      if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
        if (size > maxHeader) throw new AppError('ARCHIVE_INVALID', 'an extended tar header is too large', { details: { size } });
        const data = Buffer.alloc(size);
        await handle.read(data, 0, size, dataOffset);
        if (typeflag === 'x') pax = { ...globalPax, ...parsePax(data) };
        else if (typeflag === 'g') globalPax = parsePax(data);
        else if (typeflag === 'L') longName = cString(data);
        else longLink = cString(data);
        position = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
        continue;
      }
      const rawName = pax['path'] ?? longName ?? headerName(block);
      const linkname = pax['linkpath'] ?? longLink ?? cString(block.subarray(157, 257));
      pax = { ...globalPax };
      longName = undefined;
      longLink = undefined;
      const name = normaliseMemberName(rawName, limits.maxPathLength);
      const type: TarMemberType =
        typeflag === '0' || typeflag === '\0' || typeflag === '7'
          ? 'file'
          : typeflag === '5'
            ? 'dir'
            : typeflag === '2'
              ? 'symlink'
              : typeflag === '1'
                ? 'hardlink'
                : 'other';
      if (name !== '') {
        members.set(name, {
          name,
          type,
          size: type === 'file' ? dataSize : 0,
          offset: dataOffset,
          ...(type === 'symlink' || type === 'hardlink' ? { linkname } : {}),
        });
      }
      position = next;
    }
    if (!sawEnd && members.size === 0) throw new AppError('ARCHIVE_INVALID', 'the file is not a tar archive', { details: { path } });
    if (!sawEnd) throw new AppError('ARCHIVE_TRUNCATED', 'the archive has no end-of-archive marker', { details: { path } });
  } finally {
    await handle.close();
  }
  return makeIndex(path, members);
}

function makeIndex(path: string, members: ReadonlyMap<string, TarMember>): TarIndex {
  const find = (name: string): TarMember | undefined => {
    let current = normaliseLookup(name);
    for (let hops = 0; hops <= 40 && current !== undefined; hops++) {
      const member = members.get(current);
      if (member === undefined) return undefined;
      if (member.type === 'file') return member;
      if (member.type === 'hardlink') current = normaliseLookup(member.linkname ?? '');
      else if (member.type === 'symlink') {
        const link = member.linkname ?? '';
        const dir = current.includes('/') ? current.slice(0, current.lastIndexOf('/')) : '';
        current = link.startsWith('/') ? undefined : normaliseLookup(dir === '' ? link : `${dir}/${link}`);
      } else return undefined;
    }
    return undefined;
  };
  return {
    path,
    members,
    find,
    open(member) {
      if (member.size === 0) return Readable.from([]);
      return createReadStream(path, { start: member.offset, end: member.offset + member.size - 1, highWaterMark: BLOB_READ_CHUNK });
    },
    async read(member, limit) {
      if (member.size > limit) {
        throw new AppError('LIMIT_MANIFEST_SIZE', 'an archive member is larger than the limit', {
          details: { member: member.name.slice(0, 256), size: member.size, limit },
        });
      }
      const handle = await open(path, 'r');
      try {
        const data = Buffer.alloc(member.size);
        const { bytesRead } = await handle.read(data, 0, member.size, member.offset);
        if (bytesRead !== member.size) throw new AppError('ARCHIVE_TRUNCATED', 'an archive member is cut short', { details: { member: member.name } });
        return data;
      } finally {
        await handle.close();
      }
    },
  };
}

/** Relative lookups inside the archive ('..' allowed only while it stays inside). */
function normaliseLookup(name: string): string | undefined {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

export function normaliseMemberName(raw: string, maxPathLength: number): string {
  if (Buffer.byteLength(raw) > maxPathLength) {
    throw new AppError('LIMIT_PATH_LENGTH', 'an archive member name is longer than the limit', { details: { limit: maxPathLength } });
  }
  if (raw.startsWith('/')) {
    throw new AppError('ARCHIVE_ABSOLUTE_PATH', 'an archive member has an absolute path', { details: { member: raw.slice(0, 256) } });
  }
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) {
    throw new AppError('ARCHIVE_PATH_TRAVERSAL', "an archive member name contains '..'", { details: { member: raw.slice(0, 256) } });
  }
  if (raw.includes('\0')) throw new AppError('ARCHIVE_INVALID', 'an archive member name contains NUL', {});
  return parts.join('/');
}

function cString(data: Buffer): string {
  const end = data.indexOf(0);
  return data.subarray(0, end === -1 ? data.length : end).toString('utf8');
}

function headerName(block: Buffer): string {
  const name = cString(block.subarray(0, 100));
  const magic = block.subarray(257, 262).toString('latin1');
  const prefix = magic === 'ustar' ? cString(block.subarray(345, 500)) : '';
  return prefix !== '' ? `${prefix}/${name}` : name;
}

function parseNumber(field: Buffer, position: number): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    if (!Number.isSafeInteger(value)) throw new AppError('ARCHIVE_INVALID', 'a tar size is out of range', { details: { offset: position } });
    return value;
  }
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new AppError('ARCHIVE_INVALID', 'a tar size field is not octal', { details: { offset: position } });
  return parseInt(text, 8);
}

function validChecksum(block: Buffer): boolean {
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += block[i] as number;
  for (let i = 156; i < BLOCK; i++) sum += block[i] as number;
  const text = block.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/, '').trim();
  return /^[0-7]+$/.test(text) && parseInt(text, 8) === sum;
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = data;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    if (space <= 0) break;
    const length = Number(rest.subarray(0, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= space || length > rest.length) {
      throw new AppError('ARCHIVE_INVALID', 'a PAX header record is malformed', {});
    }
    const record = rest.subarray(space + 1, length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    rest = rest.subarray(length);
  }
  return out;
}
