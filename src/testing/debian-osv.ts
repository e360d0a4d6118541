/**
 * Debian:12 OSV records derived at test time from real Debian facts: the CURRENT bookworm upload's
 * /usr/share/doc/<pkg>/changelog.Debian.gz lists, per upload, the CVEs that upload fixed.
 * For every CVE id a changelog mentions we emit one OSV record keyed by the SOURCE package,
 * `introduced: 0`, `fixed: <the oldest upload that mentions it>` (the first fix, as Debian's
 * security tracker records it).
 *
 *   const records = await debianOsvRecords(['curl', 'openssl']);   // binary package names
 *
 * The .debs come through tools/lab's shared deb cache (`apt-get download`, apt's own keys).
 */
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { downloadDebs } from '../../tools/lab/debian.ts';

export interface ChangelogEntry {
  readonly source: string;
  readonly version: string;
  readonly distribution: string;
  /** RFC 2822 date from the trailer line, as ISO 8601 (undefined when the trailer is missing). */
  readonly date?: string;
  readonly cves: readonly string[];
}

export interface DebianOsvRecord {
  readonly schema_version: string;
  readonly id: string;
  readonly modified: string;
  readonly summary: string;
  readonly affected: ReadonlyArray<{
    readonly package: { readonly ecosystem: string; readonly name: string };
    readonly ranges: ReadonlyArray<{ readonly type: 'ECOSYSTEM'; readonly events: ReadonlyArray<{ introduced: string } | { fixed: string }> }>;
  }>;
}

const HEADER = /^(\S+) \(([^)\s]+)\) ([^;]+);/;
const TRAILER = /^ -- .*?>\s+(.+)$/;
const CVE = /CVE-\d{4}-\d{4,}/g;

/** Parses a debian/changelog (newest first) into entries with the CVE ids each mentions. */
export function parseDebianChangelog(text: string): ChangelogEntry[] {
  const out: ChangelogEntry[] = [];
  let current: { source: string; version: string; distribution: string; cves: Set<string>; date?: string } | undefined;
  const flush = (): void => {
    if (current === undefined) return;
    out.push({ source: current.source, version: current.version, distribution: current.distribution.trim(), cves: [...current.cves], ...(current.date !== undefined ? { date: current.date } : {}) });
    current = undefined;
  };
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header !== null) {
      flush();
      current = { source: header[1] ?? '', version: header[2] ?? '', distribution: header[3] ?? '', cves: new Set() };
      continue;
    }
    if (current === undefined) continue;
    const trailer = TRAILER.exec(line);
    if (trailer?.[1] !== undefined) {
      const time = Date.parse(trailer[1]);
      if (!Number.isNaN(time)) current.date = new Date(time).toISOString();
      continue;
    }
    for (const match of line.matchAll(CVE)) current.cves.add(match[0]);
  }
  flush();
  return out;
}

/**
 * One record per CVE: fixed in the OLDEST upload that mentions it. A stable update is often a
 * rebuild of an unstable upload with a LOWER version (2.9.14+dfsg-1.3~deb12u1 < 2.9.14+dfsg-1.3):
 * a CVE first fixed in such an ancestor is fixed in every release upload, so when its fixing
 * version sorts above the current package (`lessThan(current, fixed)`) no record is emitted.
 */
export function osvFromChangelog(
  entries: readonly ChangelogEntry[],
  options: { readonly ecosystem?: string; readonly current?: string; readonly lessThan?: (a: string, b: string) => boolean } = {},
): DebianOsvRecord[] {
  const ecosystem = options.ecosystem ?? 'Debian:12';
  const fixedIn = new Map<string, ChangelogEntry>();
  // Newest first in the file: walking it forward, later (older) entries overwrite earlier ones.
  for (const entry of entries) for (const cve of entry.cves) fixedIn.set(cve, entry);
  const { current, lessThan } = options;
  return [...fixedIn.entries()]
    .filter(([, entry]) => current === undefined || lessThan === undefined || !lessThan(current, entry.version))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([cve, entry]) => ({
      schema_version: '1.6.0',
      id: cve,
      modified: entry.date ?? '1970-01-01T00:00:00Z',
      summary: `${cve} fixed in ${entry.source} ${entry.version} (debian/changelog)`,
      affected: [
        {
          package: { ecosystem, name: entry.source },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: entry.version }] }],
        },
      ],
    }));
}

export interface CurrentDeb {
  readonly name: string;
  readonly version: string;
  readonly source: string;
  readonly changelog: readonly ChangelogEntry[];
}

/** Downloads the current candidate of a binary package and reads its changelog.Debian.gz. */
export async function currentDebChangelog(binary: string): Promise<CurrentDeb> {
  const [file] = await downloadDebs([binary]);
  if (file === undefined) throw new Error(`apt-get download ${binary} gave no file`);
  const fields = execFileSync('dpkg-deb', ['-f', file, 'Package', 'Version', 'Source'], { encoding: 'utf8' });
  const get = (key: string): string | undefined => new RegExp(`^${key}: (.+)$`, 'm').exec(fields)?.[1]?.trim();
  const version = get('Version');
  if (version === undefined) throw new Error(`${file}: no Version`);
  // "Source: openssl (3.0.1-1)" names a different source version; the name is the first word.
  const source = (get('Source') ?? binary).split(' ')[0] ?? binary;
  const tar = execFileSync('dpkg-deb', ['--fsys-tarfile', file], { maxBuffer: 512 * 1024 * 1024 });
  const gz = execFileSync('tar', ['-xO', `./usr/share/doc/${binary}/changelog.Debian.gz`], { input: tar, maxBuffer: 64 * 1024 * 1024 });
  const changelog = parseDebianChangelog(gunzipSync(gz).toString('utf8'));
  return { name: binary, version, source, changelog };
}

/** Debian:12 OSV records for the source packages of the given binaries (one changelog per source). */
export async function debianOsvRecords(binaries: readonly string[]): Promise<{ records: DebianOsvRecord[]; current: CurrentDeb[] }> {
  const current: CurrentDeb[] = [];
  const records: DebianOsvRecord[] = [];
  const seen = new Set<string>();
  for (const binary of binaries) {
    const deb = await currentDebChangelog(binary);
    current.push(deb);
    if (seen.has(deb.source)) continue;
    seen.add(deb.source);
    records.push(...osvFromChangelog(deb.changelog, { current: deb.version, lessThan: dpkgLessThan }));
  }
  return { records, current };
}

/** `dpkg --compare-versions a lt b`, the independent oracle. */
export function dpkgLessThan(a: string, b: string): boolean {
  try {
    execFileSync('dpkg', ['--compare-versions', a, 'lt', b], { stdio: 'ignore' });
    return true;
  } catch (cause) {
    const status = (cause as { status?: number }).status;
    if (status === 1) return false;
    throw cause;
  }
}
