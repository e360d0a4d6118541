/**
 * The three rpmdb storage formats, read from bytes: Berkeley DB hash (`Packages`, RHEL ≤ 8),
 * NDB (`Packages.db`, SUSE) and SQLite (`rpmdb.sqlite`, RHEL 9+/Fedora; read through the SqliteReader port).
 * Each yields the header blobs; parse-header.ts reads them.
 */

export interface BlobsResult {
  readonly blobs: readonly Uint8Array[];
  readonly problems: readonly string[];
}

const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;

/** Berkeley DB hash database: values of every key/value pair, following overflow page chains. */
export function readBerkeleyDbBlobs(buf: Buffer): BlobsResult {
  if (buf.length < 512) return { blobs: [], problems: ['file too small for a Berkeley DB'] };
  let le = true;
  if (buf.readUInt32LE(12) !== HASH_MAGIC) {
    if (buf.readUInt32BE(12) !== HASH_MAGIC) return { blobs: [], problems: ['not a Berkeley DB hash database'] };
    le = false;
  }
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const pageSize = u32(20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return { blobs: [], problems: ['invalid Berkeley DB page size'] };
  const pages = Math.floor(buf.length / pageSize);
  const blobs: Uint8Array[] = [];
  const problems: string[] = [];
  for (let p = 1; p < pages; p++) {
    const base = p * pageSize;
    const type = buf[base + 25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(base + 20);
    for (let i = 1; i < entries; i += 2) {
      const itemOffset = u16(base + PAGE_HEADER + i * 2);
      const item = base + itemOffset;
      if (itemOffset === 0 || item >= base + pageSize) continue;
      const kind = buf[item];
      if (kind === H_OFFPAGE) {
        const chunks: Buffer[] = [];
        let next = u32(item + 4);
        const total = u32(item + 8);
        let got = 0;
        let hops = 0;
        while (next !== 0 && got < total && hops++ < pages) {
          const ob = next * pageSize;
          if (ob + pageSize > buf.length || buf[ob + 25] !== P_OVERFLOW) {
            problems.push(`broken overflow chain at page ${next}`);
            break;
          }
          const len = u16(ob + 22);
          chunks.push(buf.subarray(ob + PAGE_HEADER, ob + PAGE_HEADER + len));
          got += len;
          next = u32(ob + 16);
        }
        if (got >= total) blobs.push(Buffer.concat(chunks).subarray(0, total));
      } else if (kind === H_KEYDATA) {
        const end = i === 0 ? pageSize : u16(base + PAGE_HEADER + (i - 1) * 2);
        blobs.push(buf.subarray(item + 1, base + end));
      }
    }
  }
  return { blobs, problems };
}

const NDB_HEADER_MAGIC = 0x506d7052; // 'RpmP' little-endian
const NDB_SLOT_MAGIC = 0x746f6c53; // 'Slot'
const NDB_BLOB_MAGIC = 0x53626c42; // 'BlbS'
const NDB_BLOCK = 16;
const NDB_PAGE = 4096;

/** NDB (rpm ≥ 4.15 `Packages.db`): a slot table of (package index, block offset) pointing at blob records. */
export function readNdbBlobs(buf: Buffer): BlobsResult {
  if (buf.length < 16 || buf.readUInt32LE(0) !== NDB_HEADER_MAGIC) return { blobs: [], problems: ['not an rpm NDB database'] };
  const slotPages = buf.readUInt32LE(12);
  const slots = slotPages * (NDB_PAGE / 16) - 2;
  const blobs: Uint8Array[] = [];
  const problems: string[] = [];
  for (let s = 0; s < slots; s++) {
    const o = 32 + s * 16;
    if (o + 16 > buf.length) break;
    if (buf.readUInt32LE(o) !== NDB_SLOT_MAGIC) continue;
    const pkgIndex = buf.readUInt32LE(o + 4);
    const blkOffset = buf.readUInt32LE(o + 8);
    if (pkgIndex === 0) continue;
    const b = blkOffset * NDB_BLOCK;
    if (b + 16 > buf.length || buf.readUInt32LE(b) !== NDB_BLOB_MAGIC || buf.readUInt32LE(b + 4) !== pkgIndex) {
      problems.push(`slot ${s} points at no blob`);
      continue;
    }
    const len = buf.readUInt32LE(b + 12);
    if (b + 16 + len > buf.length) {
      problems.push(`blob of package ${pkgIndex} is truncated`);
      continue;
    }
    blobs.push(buf.subarray(b + 16, b + 16 + len));
  }
  return { blobs, problems };
}

export function isSqlite(buf: Uint8Array): boolean {
  return Buffer.from(buf.subarray(0, 16)).toString('latin1') === 'SQLite format 3\u0000';
}
