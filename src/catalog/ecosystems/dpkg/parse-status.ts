import { parseStanzas } from '../../_shared/rfc822.ts';

export interface DpkgRecord {
  readonly name: string;
  readonly version: string;
  readonly architecture?: string;
  readonly sourceName: string;
  readonly sourceVersion: string;
  readonly status?: string;
  readonly depends: readonly (readonly string[])[]; // alternatives per clause: [['a'], ['b', 'c']]
  readonly preDepends: readonly (readonly string[])[];
  readonly provides: readonly string[];
  readonly maintainer?: string;
  readonly installedSize?: number;
  /** Files listed in the stanza's own Conffiles field (distroless has no info/ folder). */
  readonly conffiles: readonly string[];
}

export interface ParsedStatus {
  readonly records: readonly DpkgRecord[];
  readonly problems: readonly string[]; // one per stanza that could not be read
}

/** States dpkg reports as present on disk; 'config-files' and 'not-installed' are not. */
const PRESENT_STATES = new Set(['installed', 'half-installed', 'unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending']);

/** Parses a dpkg status file (or one status.d/ file): every stanza that describes a package present on disk. */
export function parseStatus(text: string): ParsedStatus {
  const records: DpkgRecord[] = [];
  const problems: string[] = [];
  for (const stanza of parseStanzas(text)) {
    const name = stanza.fields.get('Package');
    const version = stanza.fields.get('Version');
    if (name === undefined || name === '' || version === undefined || version === '') {
      problems.push(`stanza at line ${stanza.line} has no Package or Version`);
      continue;
    }
    const status = stanza.fields.get('Status');
    if (status !== undefined) {
      const state = status.split(/\s+/)[2];
      if (state === undefined || !PRESENT_STATES.has(state)) continue;
    }
    const source = parseSource(stanza.fields.get('Source'), name, version);
    const architecture = stanza.fields.get('Architecture');
    const maintainer = stanza.fields.get('Maintainer');
    const size = Number.parseInt(stanza.fields.get('Installed-Size') ?? '', 10);
    records.push({
      name,
      version,
      ...(architecture !== undefined ? { architecture } : {}),
      sourceName: source.name,
      sourceVersion: source.version,
      ...(status !== undefined ? { status } : {}),
      depends: parseDependsField(stanza.fields.get('Depends')),
      preDepends: parseDependsField(stanza.fields.get('Pre-Depends')),
      provides: parseDependsField(stanza.fields.get('Provides')).flat(),
      ...(maintainer !== undefined ? { maintainer } : {}),
      ...(Number.isFinite(size) ? { installedSize: size } : {}),
      conffiles: (stanza.fields.get('Conffiles') ?? '')
        .split('\n')
        .map((line) => line.trim().split(/\s+/)[0] ?? '')
        .filter((path) => path.startsWith('/')),
    });
  }
  return { records, problems };
}

/** 'glibc (2.36-9)' → glibc / 2.36-9; 'glibc' → glibc / the binary version; absent → the package itself. */
export function parseSource(field: string | undefined, name: string, version: string): { name: string; version: string } {
  if (field === undefined || field.trim() === '') return { name, version };
  const match = /^(\S+)(?:\s*\(([^)]+)\))?/.exec(field.trim());
  if (match === null) return { name, version };
  return { name: match[1] as string, version: match[2]?.trim() ?? version };
}

/** 'a (>= 1), b | c:any, d [amd64]' → [['a'], ['b', 'c'], ['d']] (names only, arch qualifiers dropped). */
export function parseDependsField(field: string | undefined): string[][] {
  if (field === undefined || field.trim() === '') return [];
  return field
    .split(',')
    .map((clause) =>
      clause
        .split('|')
        .map((alt) => (alt.trim().split(/[\s([<]/)[0] ?? '').split(':')[0] ?? '')
        .filter((alt) => alt !== ''),
    )
    .filter((alts) => alts.length > 0);
}

/** Lines of an info/<pkg>.list file (or md5sums) as absolute paths; '/.' and directories kept as listed. */
export function parseFileList(text: string, md5sums = false): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line === '') continue;
    if (md5sums) {
      const path = line.replace(/^[0-9a-f]{32}\s+/, '');
      out.push(path.startsWith('/') ? path : `/${path}`);
    } else if (line.startsWith('/') && line !== '/.') {
      out.push(line);
    }
  }
  return out;
}

/**
 * Licences from a machine-readable (DEP-5) debian/copyright file: every `License:` field's first line.
 * Free-form copyright files yield nothing (syft does the same).
 */
export function parseCopyrightLicenses(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/^License:[ \t]*(\S[^\n]*)$/gm)) {
    const value = (match[1] as string).trim();
    if (!found.includes(value)) found.push(value);
  }
  return found;
}
