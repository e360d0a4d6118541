import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { AppError } from '../../core/errors.ts';
import type { SourceKind } from '../types.ts';

export interface ParsedSource {
  readonly kind: SourceKind;
  /** dir/oci/oci-archive/docker-archive: the local path (absolute). */
  readonly path?: string;
  /** oci/oci-archive: the ref.name tag; docker-archive: a RepoTag or '@N'. */
  readonly selector?: string;
  /** registry: the image reference as written. */
  readonly reference?: string;
}

const LOCAL: readonly SourceKind[] = ['dir', 'oci', 'oci-archive', 'docker-archive'];
/** Transports other tools know that Tollgate does not read (refused clearly, not taken for a reference). */
const FOREIGN = ['containers-storage', 'docker-daemon', 'ostree', 'sif', 'tarball', 'atomic', 'http', 'https', 'file', 'ftp'];

/**
 * Parses a source string: `dir:PATH`, `oci:DIR[:tag]`, `oci-archive:FILE[:tag]`,
 * `docker-archive:FILE[:ref|@N]`, `registry:REF`, `docker://REF`, or a bare image reference.
 * A path that exists as written is never split at a ':'.
 */
export function parseSource(input: string): ParsedSource {
  if (input.trim() === '' || input.includes('\0')) throw new AppError('SOURCE_INVALID', 'empty source', {});
  if (input.startsWith('docker://')) return { kind: 'registry', reference: input.slice('docker://'.length) };
  const colon = input.indexOf(':');
  const transport = colon > 0 ? input.slice(0, colon) : '';
  const rest = colon > 0 ? input.slice(colon + 1) : '';
  if (transport === 'registry') {
    if (rest === '') throw new AppError('SOURCE_INVALID', 'registry: needs an image reference', {});
    return { kind: 'registry', reference: rest };
  }
  if ((LOCAL as readonly string[]).includes(transport)) {
    const kind = transport as SourceKind;
    if (rest === '') throw new AppError('SOURCE_INVALID', 'the source needs a path', { details: { transport } });
    if (kind === 'dir' || existsSync(rest)) return { kind, path: resolvePath(rest) };
    const split = kind === 'docker-archive' ? splitLast(rest) : splitFirst(rest);
    if (split === undefined) return { kind, path: resolvePath(rest) };
    return { kind, path: resolvePath(split[0]), selector: split[1] };
  }
  if (FOREIGN.includes(transport) || input.includes('://')) {
    throw new AppError('SOURCE_INVALID', 'unsupported source transport', { details: { transport: transport || input.slice(0, 40) } });
  }
  return { kind: 'registry', reference: input };
}

function splitFirst(text: string): [string, string] | undefined {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1) return undefined;
  return [text.slice(0, at), text.slice(at + 1)];
}

/** docker-archive refs contain ':' themselves (host:port/repo:tag): split where the file exists. */
function splitLast(text: string): [string, string] | undefined {
  const at = text.indexOf('@');
  if (at > 0 && /^@\d+$/.test(text.slice(at))) return [text.slice(0, at), text.slice(at)];
  for (let i = text.indexOf(':'); i > 0; i = text.indexOf(':', i + 1)) {
    if (existsSync(text.slice(0, i))) return [text.slice(0, i), text.slice(i + 1)];
  }
  return splitFirst(text);
}
