import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { readFileRange } from '../file-read.ts';
import { BLOB_READ_CHUNK } from '../layer/compression.ts';
import { Readable } from 'node:stream';
import { AppError } from '../../core/errors.ts';
import { applyMeta, BLOCK, cString, decodeHeader, isMetaType, isRegularType, isZeroBlock, MAX_SPECIAL_HEADER_BYTES, parsePax, type TarMeta } from '../layer/tar-format.ts';

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


/**
 * Indexes an (uncompressed) tar file without extracting it: reads each 512-byte header, skips the
 * data by offset, handles PAX and GNU long names (layer/tar-format.ts, as Go reads them). Member names that are absolute
 * (ARCHIVE_ABSOLUTE_PATH) or contain '..' (ARCHIVE_PATH_TRAVERSAL) are refused outright.
 */
export async function indexTarFile(path: string, limits: TarIndexLimits): Promise<TarIndex> {
  // Read in place: a header of 512 bytes per member (and one per PAX header), each cheaper to read
  // than a thread-pool round trip, and an OCI archive has a few dozen.
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new AppError('SOURCE_NOT_FOUND', 'the archive file cannot be opened', { cause, details: { path } });
  }
  const members = new Map<string, TarMember>();
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new AppError('SOURCE_INVALID', 'the archive is not a regular file', { details: { path } });
    const fileSize = stat.size;
    const maxHeader = limits.maxHeaderBytes ?? MAX_SPECIAL_HEADER_BYTES;
    const block = Buffer.alloc(BLOCK);
    let position = 0;
    let count = 0;
    let meta: TarMeta = {};
    let sawEnd = false;
    const magic = Buffer.alloc(4);
    readSync(fd, magic, 0, 4, 0);
    if ((magic[0] === 0x1f && magic[1] === 0x8b) || magic.readUInt32BE(0) === 0x28b52ffd) {
      throw new AppError('ARCHIVE_COMPRESSION_UNSUPPORTED', 'the archive is compressed; decompress it first', { details: { path } });
    }
    while (position + BLOCK <= fileSize) {
      const bytesRead = readSync(fd, block, 0, BLOCK, position);
      if (bytesRead < BLOCK) break;
      if (isZeroBlock(block)) {
        sawEnd = true;
        break;
      }
      const header = decodeHeader(block, 0, position);
      count += 1;
      if (count > limits.maxEntries) throw new AppError('LIMIT_ENTRY_COUNT', 'the archive has more members than the limit', { details: { limit: limits.maxEntries } });
      const dataOffset = position + BLOCK;
      if (isMetaType(header.type)) {
        if (header.size > maxHeader) throw new AppError('ARCHIVE_INVALID', 'an extended tar header is too large', { details: { size: header.size } });
        if (dataOffset + header.size > fileSize) throw new AppError('ARCHIVE_TRUNCATED', 'the archive ends inside a member', { details: { path } });
        const data = Buffer.alloc(header.size);
        readSync(fd, data, 0, header.size, dataOffset);
        // global PAX headers apply to nothing, as in Go's archive/tar (what skopeo and podman read with)
        if (header.type === 'pax-header') meta.pax = parsePax(data);
        else if (header.type === 'gnu-long-path') meta.longName = cString(data);
        else if (header.type === 'gnu-long-link-path') meta.longLink = cString(data);
        position = dataOffset + Math.ceil(header.size / BLOCK) * BLOCK;
        continue;
      }
      applyMeta(header, meta);
      meta = {};
      if (dataOffset + header.size > fileSize) throw new AppError('ARCHIVE_TRUNCATED', 'the archive ends inside a member', { details: { path } });
      const name = normaliseMemberName(header.name, limits.maxPathLength);
      const type: TarMemberType = isRegularType(header.type)
        ? 'file'
        : header.type === 'directory'
          ? 'dir'
          : header.type === 'symlink'
            ? 'symlink'
            : header.type === 'link'
              ? 'hardlink'
              : 'other';
      if (name !== '') {
        members.set(name, {
          name,
          type,
          size: type === 'file' ? header.size : 0,
          offset: dataOffset,
          ...(type === 'symlink' || type === 'hardlink' ? { linkname: header.linkname } : {}),
        });
      }
      position = dataOffset + Math.ceil(header.size / BLOCK) * BLOCK;
    }
    if (!sawEnd && members.size === 0) throw new AppError('ARCHIVE_INVALID', 'the file is not a tar archive', { details: { path } });
    if (!sawEnd) throw new AppError('ARCHIVE_TRUNCATED', 'the archive has no end-of-archive marker', { details: { path } });
  } finally {
    closeSync(fd);
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
      const data = await readFileRange(path, member.offset, member.size);
      if (data.length !== member.size) throw new AppError('ARCHIVE_TRUNCATED', 'an archive member is cut short', { details: { member: member.name } });
      return data;
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
