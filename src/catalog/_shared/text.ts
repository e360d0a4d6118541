import type { Unknown } from '../../core/result.ts';
import type { FileEntry } from '../../image/types.ts';
import type { PackageLocation } from '../model.ts';

export function locationOf(entry: FileEntry): PackageLocation {
  return { layer: entry.layer, path: entry.path };
}

export function unknownAt(source: string, entry: FileEntry | PackageLocation, reason: string): Unknown {
  return { source, path: entry.path, layer: entry.layer, reason };
}

// Image path helpers live with the image model; cataloguers reach them here.
export { baseName, parentPath } from '../../image/paths.ts';

/** Decodes UTF-8, stripping a BOM. */
export function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Error message for an Unknown reason's detail, without stack. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
