import { unzipSync } from 'fflate';

export interface JavaArtifact {
  readonly groupId?: string;
  readonly artifactId: string;
  readonly version: string;
  readonly licenses: readonly string[];
  /** Path inside the archive chain: '' for the archive itself, 'WEB-INF/lib/x.jar' for a nested one. */
  readonly nestedPath: string;
  readonly source: 'pom.properties' | 'manifest' | 'filename';
}

export interface ArchiveResult {
  readonly artifacts: readonly JavaArtifact[];
  readonly problems: readonly string[];
}

export interface ArchiveLimits {
  /** Largest entry (uncompressed) read from an archive: manifests, pom.properties, nested archives. */
  readonly maxEntryBytes: number;
  readonly maxDepth: number;
}

const DEFAULT_LIMITS: ArchiveLimits = { maxEntryBytes: 64 * 1024 * 1024, maxDepth: 4 };
const NESTED = /\.(jar|war|ear|hpi|jpi|par|sar|nar|kar)$/i;

/** Manifest main section: `Key: value` with 72-byte line continuations starting with one space. */
export function parseManifest(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    if (raw === '') break; // end of the main section
    if (raw.startsWith(' ') && last !== undefined) {
      fields.set(last, `${fields.get(last) ?? ''}${raw.slice(1)}`);
      continue;
    }
    const colon = raw.indexOf(':');
    if (colon <= 0) continue;
    last = raw.slice(0, colon).trim();
    fields.set(last, raw.slice(colon + 1).trim());
  }
  return fields;
}

/** pom.properties: Java properties (`key=value`, # comments). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const eq = line.search(/[=:]/);
    if (eq <= 0) continue;
    out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

/** 'commons-lang3-3.12.0.jar' → { name: 'commons-lang3', version: '3.12.0' }. */
export function nameFromFilename(file: string): { name: string; version?: string } {
  const stem = file.replace(/^.*\//, '').replace(NESTED, '');
  const match = /^(.+?)-(\d[\w.+-]*)$/.exec(stem);
  return match === null ? { name: stem } : { name: match[1] as string, version: match[2] as string };
}

/**
 * The Java artifacts in a jar/war/ear (and the archives nested in it): one per META-INF/maven/…/pom.properties,
 * plus the archive itself from its MANIFEST.MF (or file name) when no pom.properties names it.
 */
export function parseJavaArchive(bytes: Uint8Array, fileName: string, limits: Partial<ArchiveLimits> = {}): ArchiveResult {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const artifacts: JavaArtifact[] = [];
  const problems: string[] = [];
  walk(bytes, fileName, '', 0, lim, artifacts, problems);
  return { artifacts, problems };
}

function walk(bytes: Uint8Array, fileName: string, nestedPath: string, depth: number, lim: ArchiveLimits, artifacts: JavaArtifact[], problems: string[]): void {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) =>
        f.originalSize <= lim.maxEntryBytes &&
        (f.name === 'META-INF/MANIFEST.MF' || /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(f.name) || (depth < lim.maxDepth && NESTED.test(f.name))),
    });
  } catch (error) {
    problems.push(`${nestedPath === '' ? fileName : nestedPath}: not a readable zip archive (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  const decoder = new TextDecoder();
  const manifestBytes = files['META-INF/MANIFEST.MF'];
  const manifest = manifestBytes === undefined ? new Map<string, string>() : parseManifest(decoder.decode(manifestBytes));
  const license = manifest.get('Bundle-License');
  const licenses = license !== undefined && !license.startsWith('http') ? [license.split(';')[0] as string] : [];
  const fromName = nameFromFilename(fileName);
  const poms = Object.keys(files).filter((n) => n.endsWith('/pom.properties')).sort();
  let selfNamed = false;
  for (const pom of poms) {
    const props = parseProperties(decoder.decode(files[pom]));
    const artifactId = props.get('artifactId');
    const version = props.get('version');
    const groupId = props.get('groupId');
    if (artifactId === undefined || version === undefined) {
      problems.push(`${pom}: pom.properties without artifactId or version`);
      continue;
    }
    if (artifactId === fromName.name) selfNamed = true;
    artifacts.push({ ...(groupId !== undefined ? { groupId } : {}), artifactId, version, licenses: artifactId === fromName.name ? licenses : [], nestedPath, source: 'pom.properties' });
  }
  if (!selfNamed) {
    const title = manifest.get('Implementation-Title') ?? manifest.get('Bundle-SymbolicName')?.split(';')[0] ?? manifest.get('Bundle-Name');
    const version = manifest.get('Implementation-Version') ?? manifest.get('Bundle-Version') ?? fromName.version;
    const vendor = manifest.get('Implementation-Vendor-Id') ?? manifest.get('Automatic-Module-Name')?.replace(/\.[^.]+$/, '');
    const name = fromName.version !== undefined || title === undefined ? fromName.name : title;
    if (version !== undefined) {
      artifacts.push({
        ...(vendor !== undefined ? { groupId: vendor } : {}),
        artifactId: name,
        version,
        licenses,
        nestedPath,
        source: manifestBytes !== undefined ? 'manifest' : 'filename',
      });
    } else if (poms.length === 0) {
      problems.push(`${nestedPath === '' ? fileName : nestedPath}: no version in manifest, pom.properties or file name`);
    }
  }
  for (const name of Object.keys(files).filter((n) => NESTED.test(n)).sort()) {
    walk(files[name] as Uint8Array, name, nestedPath === '' ? name : `${nestedPath}!/${name}`, depth + 1, lim, artifacts, problems);
  }
}
