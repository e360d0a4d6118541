import { AppError } from '../../core/errors.ts';
import type { ImageLimits } from '../limits.ts';
import type { TarHeader, TarType } from './tar-format.ts';

export type LayerEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char' | 'block';

/** One tar entry of a layer, validated and normalised. */
export interface LayerEntry {
  /** Position among the layer's entries (0-based); lets a reader find the entry again. */
  readonly ordinal: number;
  /** Absolute, normalised: '/usr/bin/env'; the archive root ('./') is '/'. */
  readonly path: string;
  readonly type: LayerEntryType;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Body size for regular files, else 0. */
  readonly size: number;
  readonly mtime: number;
  /** Symlinks: the target as written. Hard links: the normalised absolute path linked to. */
  readonly linkTarget?: string;
  readonly devMajor?: number;
  readonly devMinor?: number;
}

export interface EntryRules {
  readonly limits: Pick<ImageLimits, 'maxPathLength' | 'maxPathDepth'>;
  /** Record device nodes instead of refusing them with ARCHIVE_DEVICE_FILE. */
  readonly allowDevices?: boolean;
}

/**
 * Normalises a path from a tar header: leading '/' and './' stripped, '.' dropped, '..' resolved
 * lexically. A '..' that climbs above the archive root is ARCHIVE_PATH_TRAVERSAL.
 */
export function normaliseArchivePath(raw: string, rules: EntryRules, field: 'path' | 'link' = 'path'): string {
  if (raw.includes('\0')) {
    throw new AppError('ARCHIVE_INVALID', 'an archive path contains a NUL byte', { details: { field } });
  }
  if (Buffer.byteLength(raw) > rules.limits.maxPathLength) {
    throw new AppError('LIMIT_PATH_LENGTH', 'an archive path is longer than the limit', {
      details: { field, length: Buffer.byteLength(raw), limit: rules.limits.maxPathLength },
    });
  }
  // most archive paths are plain ("./usr/bin/env", "usr/lib/"): no empty, '.' or '..' part
  const plain = PLAIN_ARCHIVE_PATH.exec(raw)?.[1];
  if (plain !== undefined && (plain.length < 2 * rules.limits.maxPathDepth || depthOf(plain) <= rules.limits.maxPathDepth)) return `/${plain}`;
  const parts: string[] = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) {
        throw new AppError('ARCHIVE_PATH_TRAVERSAL', "an archive path climbs out of the root with '..'", {
          details: { field, path: raw.slice(0, 512) },
        });
      }
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  if (parts.length > rules.limits.maxPathDepth) {
    throw new AppError('LIMIT_PATH_DEPTH', 'an archive path is deeper than the limit', {
      details: { field, depth: parts.length, limit: rules.limits.maxPathDepth },
    });
  }
  return `/${parts.join('/')}`;
}

/** An optional leading './' or '/', parts that are not empty, '.' or '..', an optional trailing '/'. */
const PLAIN_ARCHIVE_PATH = /^(?:\.?\/)?((?!\.{1,2}(?:\/|$))[^/]+(?:\/(?!\.{1,2}(?:\/|$))[^/]+)*)\/?$/;

/** Parts of a path without empty parts. */
function depthOf(plain: string): number {
  let depth = 1;
  for (let i = 0; i < plain.length; i++) if (plain.charCodeAt(i) === 0x2f) depth += 1;
  return depth;
}

/** True when a relative symlink target, taken from the link's folder, climbs above the image root. */
export function symlinkClimbsOut(linkPath: string, target: string): boolean {
  if (target.startsWith('/')) return false;
  let depth = linkPath.split('/').filter((p) => p !== '').length - 1; // the link's folder
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      depth -= 1;
      if (depth < 0) return true;
    } else depth += 1;
  }
  return false;
}

const TYPES: Readonly<Partial<Record<TarType, LayerEntryType>>> = Object.freeze({
  file: 'file',
  'contiguous-file': 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  fifo: 'fifo',
  'character-device': 'char',
  'block-device': 'block',
});

/** Turns a tar header into a LayerEntry, refusing what a safe extractor must refuse. */
export function toLayerEntry(header: TarHeader, ordinal: number, rules: EntryRules): LayerEntry {
  const path = normaliseArchivePath(header.name, rules);
  const type = header.type === undefined ? undefined : TYPES[header.type];
  if (type === undefined) {
    throw new AppError('ARCHIVE_INVALID', 'unsupported tar entry type', { details: { path, type: header.type ?? header.typeflag } });
  }
  const pax: Readonly<Record<string, string>> = header.pax ?? {};
  const base = {
    ordinal,
    path,
    type,
    mode: header.mode & 0o7777,
    uid: paxInteger(pax['uid']) ?? header.uid,
    gid: paxInteger(pax['gid']) ?? header.gid,
    size: type === 'file' ? header.size : 0,
    mtime: paxSeconds(pax['mtime']) ?? header.mtime,
  };
  switch (type) {
    case 'symlink': {
      const target = header.linkname;
      if (target === '' || target.includes('\0')) {
        throw new AppError('ARCHIVE_INVALID', 'a symlink has an empty or invalid target', { details: { path } });
      }
      if (Buffer.byteLength(target) > rules.limits.maxPathLength) {
        throw new AppError('LIMIT_PATH_LENGTH', 'a symlink target is longer than the limit', {
          details: { path, limit: rules.limits.maxPathLength },
        });
      }
      if (symlinkClimbsOut(path, target)) {
        throw new AppError('ARCHIVE_SYMLINK_ESCAPE', 'a relative symlink climbs above the image root', {
          details: { path, target: target.slice(0, 512) },
        });
      }
      return { ...base, linkTarget: target };
    }
    case 'hardlink': {
      const raw = header.linkname;
      if (raw === '') {
        throw new AppError('ARCHIVE_HARDLINK_INVALID', 'a hard link has no target', { details: { path } });
      }
      const target = normaliseArchivePath(raw, rules, 'link');
      if (target === path || target === '/') {
        throw new AppError('ARCHIVE_HARDLINK_INVALID', 'a hard link points at itself or the root', { details: { path } });
      }
      return { ...base, linkTarget: target };
    }
    case 'char':
    case 'block':
      if (rules.allowDevices !== true) {
        throw new AppError('ARCHIVE_DEVICE_FILE', 'the layer contains a device node', { details: { path, type } });
      }
      return { ...base, devMajor: header.devmajor, devMinor: header.devminor };
    default:
      return base;
  }
}

function paxInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

function paxSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d{1,15}(\.\d+)?$/.test(value)) return undefined;
  return Math.floor(Number(value));
}
