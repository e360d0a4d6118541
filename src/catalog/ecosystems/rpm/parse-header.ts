/** RPM header blobs as stored in every rpmdb backend: index entries + data store, big-endian. */

export interface RpmHeader {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly epoch?: number;
  readonly arch?: string;
  readonly license?: string;
  readonly sourceRpm?: string;
  readonly vendor?: string;
  readonly files: readonly string[];
  readonly requires: readonly string[];
  readonly provides: readonly string[];
}

export type HeaderResult = { readonly ok: true; readonly value: RpmHeader } | { readonly ok: false; readonly reason: string };

const TAG = {
  name: 1000, version: 1001, release: 1002, epoch: 1003, license: 1014, vendor: 1011, arch: 1022, sourceRpm: 1044,
  provideName: 1047, requireName: 1049, oldFilenames: 1027, dirIndexes: 1116, baseNames: 1117, dirNames: 1118,
} as const;

const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;

interface IndexEntry {
  readonly type: number;
  readonly offset: number;
  readonly count: number;
}

export function parseHeaderBlob(blob: Uint8Array): HeaderResult {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 8) return { ok: false, reason: 'rpm header shorter than its preamble' };
  const il = buf.readUInt32BE(0);
  const dl = buf.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 100_000 || dl > 256 * 1024 * 1024 || dataStart + dl > buf.length) return { ok: false, reason: 'rpm header sizes exceed the blob' };
  const entries = new Map<number, IndexEntry>();
  for (let i = 0; i < il; i++) {
    const o = 8 + i * 16;
    entries.set(buf.readUInt32BE(o), { type: buf.readUInt32BE(o + 4), offset: buf.readInt32BE(o + 8), count: buf.readUInt32BE(o + 12) });
  }
  const data = buf.subarray(dataStart, dataStart + dl);
  const strings = (tag: number): string[] => {
    const e = entries.get(tag);
    if (e === undefined || (e.type !== TYPE_STRING && e.type !== TYPE_STRING_ARRAY && e.type !== TYPE_I18NSTRING)) return [];
    const out: string[] = [];
    let o = e.offset;
    const n = e.type === TYPE_STRING ? 1 : e.count;
    for (let i = 0; i < n && o >= 0 && o < data.length; i++) {
      const end = data.indexOf(0, o);
      if (end < 0) break;
      out.push(data.toString('utf8', o, end));
      o = end + 1;
    }
    return out;
  };
  const int32s = (tag: number): number[] => {
    const e = entries.get(tag);
    if (e === undefined || e.type !== TYPE_INT32) return [];
    const out: number[] = [];
    for (let i = 0; i < e.count && e.offset + i * 4 + 4 <= data.length; i++) out.push(data.readInt32BE(e.offset + i * 4));
    return out;
  };
  const name = strings(TAG.name)[0];
  const version = strings(TAG.version)[0];
  const release = strings(TAG.release)[0];
  if (name === undefined || version === undefined || release === undefined) return { ok: false, reason: 'rpm header without name, version or release' };
  const epoch = int32s(TAG.epoch)[0];
  const arch = strings(TAG.arch)[0];
  const license = strings(TAG.license)[0];
  const sourceRpm = strings(TAG.sourceRpm)[0];
  const vendor = strings(TAG.vendor)[0];
  const baseNames = strings(TAG.baseNames);
  const dirNames = strings(TAG.dirNames);
  const dirIndexes = int32s(TAG.dirIndexes);
  const files = baseNames.length > 0 ? baseNames.map((base, i) => `${dirNames[dirIndexes[i] ?? -1] ?? ''}${base}`) : strings(TAG.oldFilenames);
  return {
    ok: true,
    value: {
      name,
      version,
      release,
      ...(epoch !== undefined ? { epoch } : {}),
      ...(arch !== undefined ? { arch } : {}),
      ...(license !== undefined ? { license } : {}),
      ...(sourceRpm !== undefined && sourceRpm !== '(none)' ? { sourceRpm } : {}),
      ...(vendor !== undefined ? { vendor } : {}),
      files,
      requires: strings(TAG.requireName),
      provides: strings(TAG.provideName),
    },
  };
}

/** 'glibc-2.28-151.el8.src.rpm' → { name: 'glibc', version: '2.28', release: '151.el8' }. */
export function parseSourceRpm(file: string): { name: string; version: string; release: string } | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(file);
  return match === null ? undefined : { name: match[1] as string, version: match[2] as string, release: match[3] as string };
}
