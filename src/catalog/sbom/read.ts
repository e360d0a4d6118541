import { AppError } from '../../core/errors.ts';
import { conjuncts, licenseRef } from '../_shared/expression-text.ts';
import { isExpression } from '../_shared/license-expression.ts';
import { parsePurl } from '../_shared/purl.ts';
import type { Catalog, Distro, Ecosystem, Package, PackageLocation, Relationship, SourcePackage } from '../model.ts';
import { byCodePoint } from '../../core/order.ts';
import { dedupeRelationships, sortPackages } from '../run.ts';
import { PROP } from './cyclonedx.ts';
import { SPDX_COMMENT_PREFIX } from './spdx.ts';
import { isJsonObject } from '../../core/json.ts';
import { isDigest, type Digest } from '../../core/digest.ts';
import type { SbomSubject } from './options.ts';

export type SbomFormat = 'cyclonedx-json' | 'spdx-json';

const ECOSYSTEMS: Readonly<Record<string, Ecosystem>> = {
  deb: 'deb', apk: 'apk', rpm: 'rpm', npm: 'npm', pypi: 'pypi', golang: 'golang', maven: 'maven', generic: 'generic',
  cargo: 'cargo', composer: 'composer', gem: 'gem', nuget: 'nuget', conan: 'conan', hex: 'hex', pub: 'pub', swift: 'swift', cocoapods: 'cocoapods',
};

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function detectSbomFormat(doc: unknown): SbomFormat | undefined {
  if (!isJsonObject(doc)) return undefined;
  if (doc['bomFormat'] === 'CycloneDX') return 'cyclonedx-json';
  if (typeof doc['spdxVersion'] === 'string' && doc['spdxVersion'].startsWith('SPDX-2.')) return 'spdx-json';
  return undefined;
}

/**
 * The manifest digest a subject names, if any: as its version (ours, syft's), in a pkg:oci purl, or as
 * trivy's RepoDigest (`repo@sha256:…`). Never trivy's ImageID: that is the config's digest, which no
 * signature or attestation is made for.
 */
function subjectDigest(version: string | undefined, purl: string | undefined, repoDigest: string | undefined): Digest | undefined {
  if (version !== undefined && isDigest(version)) return version;
  const parsed = purl === undefined ? undefined : parsePurl(purl);
  if (parsed?.type === 'oci' && parsed.version !== undefined && isDigest(parsed.version)) return parsed.version;
  const pinned = repoDigest?.split('@')[1];
  return pinned !== undefined && isDigest(pinned) ? pinned : undefined;
}

function subjectOf(name: string | undefined, version: string | undefined, purl: string | undefined, repoDigest: string | undefined): SbomSubject | undefined {
  if (name === undefined) return undefined;
  const digest = subjectDigest(version, purl, repoDigest);
  return { name, ...(digest !== undefined ? { digest } : {}) };
}

const TRIVY_REPO_DIGEST = 'aquasecurity:trivy:RepoDigest';

/**
 * Reads a CycloneDX (1.4–1.6) or SPDX 2.x JSON SBOM, ours or anyone's, back into the catalogue model,
 * with what it says it describes (its root component, or its described container package) and that
 * image's digest when it names one (as the version, as ours and syft's do, or in a pkg:oci purl).
 */
export function readSbom(text: string): Catalog & { readonly format: SbomFormat; readonly subject?: SbomSubject } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new AppError('SBOM_INVALID', 'the SBOM is not valid JSON', { cause });
  }
  const format = detectSbomFormat(doc);
  if (format === undefined || !isJsonObject(doc)) {
    throw new AppError('SBOM_FORMAT_UNSUPPORTED', 'not a CycloneDX or SPDX 2 JSON document');
  }
  return { format, ...(format === 'cyclonedx-json' ? readCycloneDx(doc) : readSpdx(doc)) };
}

function ecosystemOf(purl: string | undefined): Ecosystem {
  const type = purl === undefined ? undefined : parsePurl(purl)?.type;
  return (type !== undefined ? ECOSYSTEMS[type] : undefined) ?? 'generic';
}

function normaliseRead(expression: string): string {
  return isExpression(expression) ? expression : licenseRef(expression);
}

/** What an SBOM entry says of a package; absent optional facts are undefined. */
interface ImportedFields {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly ecosystem: Ecosystem;
  readonly purl: string | undefined;
  readonly licenses: readonly string[];
  readonly source: SourcePackage | undefined;
  readonly arch: string | undefined;
  readonly locations: readonly PackageLocation[];
  readonly foundBy: string;
  readonly metadata: Readonly<Record<string, string>> | undefined;
}

function importedPackage(f: ImportedFields): Package {
  return {
    id: f.id,
    name: f.name,
    version: f.version,
    ecosystem: f.ecosystem,
    purl: f.purl ?? '',
    licenses: f.licenses,
    ...(f.source !== undefined ? { source: f.source } : {}),
    ...(f.arch !== undefined ? { arch: f.arch } : {}),
    locations: f.locations,
    foundBy: f.foundBy,
    ...(f.metadata !== undefined ? { metadata: f.metadata } : {}),
  };
}

function readCycloneDx(doc: Record<string, unknown>): Catalog & { readonly subject?: SbomSubject } {
  const packages: Package[] = [];
  const relationships: Relationship[] = [];
  let distro: Distro | undefined;
  const refToId = new Map<string, string>();
  const walk = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const c of list) {
      if (!isJsonObject(c)) continue;
      const name = str(c['name']);
      if (name === undefined) continue;
      if (c['type'] === 'operating-system') {
        const versionId = str(c['version']);
        const prettyName = str(c['description']);
        distro ??= { id: name, ...(versionId !== undefined ? { versionId } : {}), ...(prettyName !== undefined ? { prettyName } : {}) };
        continue;
      }
      const props = new Map<string, string>();
      if (Array.isArray(c['properties'])) {
        for (const p of c['properties']) if (isJsonObject(p) && typeof p['name'] === 'string' && typeof p['value'] === 'string') props.set(p['name'], p['value']);
      }
      const purl = str(c['purl']);
      const version = str(c['version']) ?? '';
      const ecosystem = (props.get(PROP.ecosystem) as Ecosystem | undefined) ?? ecosystemOf(purl);
      const locations: PackageLocation[] = [];
      for (let i = 0; props.has(`${PROP.location}:${i}:path`); i++) {
        locations.push({ path: props.get(`${PROP.location}:${i}:path`) as string, layer: props.get(`${PROP.location}:${i}:layer`) ?? '' });
      }
      const licenses: string[] = [];
      if (Array.isArray(c['licenses'])) {
        for (const l of c['licenses']) {
          if (!isJsonObject(l)) continue;
          const expr = str(l['expression']);
          const lic = isJsonObject(l['license']) ? l['license'] : undefined;
          const value = expr ?? str(lic?.['id']) ?? (lic !== undefined ? str(lic['name']) : undefined);
          // an expression is the package's licence list joined by AND (options.ts combineLicenses)
          if (value !== undefined) for (const member of expr !== undefined ? conjuncts(value) : [value]) licenses.push(normaliseRead(member));
        }
      }
      licenses.sort(byCodePoint);
      const sourceName = props.get(PROP.sourceName);
      const sourceVersion = props.get(PROP.sourceVersion);
      const source: SourcePackage | undefined = sourceName === undefined ? undefined : { name: sourceName, ...(sourceVersion !== undefined ? { version: sourceVersion } : {}) };
      const metadata: Record<string, string> = {};
      for (const [key, value] of props) if (key.startsWith(PROP.metadata)) metadata[key.slice(PROP.metadata.length)] = value;
      const bomRef = str(c['bom-ref']);
      const id = bomRef ?? `${ecosystem}:${name}@${version}`;
      if (bomRef !== undefined) refToId.set(bomRef, id);
      const arch = props.get(PROP.arch);
      const foundBy = props.get(PROP.foundBy) ?? 'cyclonedx-import';
      packages.push(importedPackage({ id, name, version, ecosystem, purl, licenses, source, arch, locations, foundBy, metadata: Object.keys(metadata).length > 0 ? metadata : undefined }));
      walk(c['components']);
    }
  };
  walk(doc['components']);
  const root = isJsonObject(doc['metadata']) && isJsonObject(doc['metadata']['component']) ? doc['metadata']['component'] : undefined;
  const rootRef = root === undefined ? undefined : str(root['bom-ref']);
  for (const p of packages) relationships.push({ kind: 'contains', from: 'image', to: p.id });
  if (Array.isArray(doc['dependencies'])) {
    for (const d of doc['dependencies']) {
      if (!isJsonObject(d)) continue;
      const ref = str(d['ref']);
      if (ref === undefined || ref === rootRef) continue;
      const from = refToId.get(ref);
      if (from === undefined || !Array.isArray(d['dependsOn'])) continue;
      for (const t of d['dependsOn']) {
        const to = typeof t === 'string' ? refToId.get(t) : undefined;
        if (to !== undefined) relationships.push({ kind: 'depends-on', from, to });
      }
    }
  }
  const rootProps = root !== undefined && Array.isArray(root['properties']) ? root['properties'].filter(isJsonObject) : [];
  const repoDigest = str(rootProps.find((p) => p['name'] === TRIVY_REPO_DIGEST)?.['value']);
  const subject = root === undefined ? undefined : subjectOf(str(root['name']), str(root['version']), str(root['purl']), repoDigest);
  return finish(distro, packages, relationships, subject);
}

function readSpdx(doc: Record<string, unknown>): Catalog & { readonly subject?: SbomSubject } {
  const packages: Package[] = [];
  const relationships: Relationship[] = [];
  let distro: Distro | undefined;
  const spdxToId = new Map<string, string>();
  let subject: SbomSubject | undefined;
  const describedRoots = new Set<string>();
  const containers = new Set<string>();
  if (Array.isArray(doc['relationships'])) {
    for (const r of doc['relationships']) {
      if (!isJsonObject(r)) continue;
      if (r['relationshipType'] === 'DESCRIBES' && typeof r['relatedSpdxElement'] === 'string') describedRoots.add(r['relatedSpdxElement']);
      if (r['relationshipType'] === 'CONTAINS' && typeof r['spdxElementId'] === 'string') containers.add(r['spdxElementId']);
    }
  }
  for (const p of Array.isArray(doc['packages']) ? doc['packages'] : []) {
    if (!isJsonObject(p)) continue;
    const spdxId = str(p['SPDXID']);
    const name = str(p['name']);
    if (spdxId === undefined || name === undefined) continue;
    // SPDX 2.2 has no purposes: trivy names its operating system element SPDXRef-OperatingSystem-…
    const os = p['primaryPackagePurpose'] === undefined ? spdxId.startsWith('SPDXRef-OperatingSystem') : p['primaryPackagePurpose'] === 'OPERATING_SYSTEM' || p['primaryPackagePurpose'] === 'OPERATING-SYSTEM';
    if (os) {
      const versionId = str(p['versionInfo']);
      const prettyName = str(p['comment']);
      distro ??= { id: name, ...(versionId !== undefined ? { versionId } : {}), ...(prettyName !== undefined ? { prettyName } : {}) };
      continue;
    }
    let purl: string | undefined;
    if (Array.isArray(p['externalRefs'])) {
      for (const ref of p['externalRefs']) if (isJsonObject(ref) && ref['referenceType'] === 'purl') purl ??= str(ref['referenceLocator']);
    }
    // The described image: a CONTAINER (SPDX 2.3), or in SPDX 2.2, which has no purposes, a described
    // package without a purl that contains others (trivy's image): what the SBOM is of, not a package.
    const purpose = p['primaryPackagePurpose'];
    if (describedRoots.has(spdxId) && (purpose === 'CONTAINER' || (purpose === undefined && purl === undefined && containers.has(spdxId)))) {
      // trivy writes its properties as attribution texts: "RepoDigest: repo@sha256:…"
      const attributions = Array.isArray(p['attributionTexts']) ? p['attributionTexts'].filter((t): t is string => typeof t === 'string') : [];
      const repoDigest = attributions.find((t) => t.startsWith('RepoDigest: '))?.slice('RepoDigest: '.length);
      subject ??= subjectOf(name, str(p['versionInfo']), purl, repoDigest);
      continue;
    }
    const comment = str(p['comment']);
    let facts: Record<string, unknown> = {};
    if (comment?.startsWith(SPDX_COMMENT_PREFIX) === true) {
      try {
        const parsed: unknown = JSON.parse(comment.slice(SPDX_COMMENT_PREFIX.length));
        if (isJsonObject(parsed)) facts = parsed;
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
      }
    }
    const declared = str(p['licenseDeclared']);
    const listed = Array.isArray(facts['licenses']) ? facts['licenses'].filter((l): l is string => typeof l === 'string') : undefined;
    const licenses = listed ?? (declared === undefined || declared === 'NOASSERTION' || declared === 'NONE' ? [] : conjuncts(declared).map(normaliseRead));
    const version = str(p['versionInfo']) ?? '';
    const ecosystem = (str(facts['ecosystem']) as Ecosystem | undefined) ?? ecosystemOf(purl);
    const id = str(facts['id']) ?? `${ecosystem}:${name}@${version}:${spdxId}`;
    spdxToId.set(spdxId, id);
    const locations = Array.isArray(facts['locations'])
      ? facts['locations'].filter(isJsonObject).map((l) => ({ path: String(l['path']), layer: String(l['layer'] ?? '') }))
      : [];
    const source = isJsonObject(facts['source']) && typeof facts['source']['name'] === 'string'
      ? { name: facts['source']['name'], ...(typeof facts['source']['version'] === 'string' ? { version: facts['source']['version'] } : {}) }
      : undefined;
    const arch = str(facts['arch']);
    const metadata = isJsonObject(facts['metadata']) ? Object.fromEntries(Object.entries(facts['metadata']).map(([k, v]) => [k, String(v)])) : undefined;
    packages.push(importedPackage({ id, name, version, ecosystem, purl, licenses, source, arch, locations, foundBy: str(facts['foundBy']) ?? 'spdx-import', metadata }));
  }
  for (const pkg of packages) relationships.push({ kind: 'contains', from: 'image', to: pkg.id });
  for (const r of Array.isArray(doc['relationships']) ? doc['relationships'] : []) {
    if (!isJsonObject(r) || r['relationshipType'] !== 'DEPENDS_ON') continue;
    const from = spdxToId.get(String(r['spdxElementId']));
    const to = spdxToId.get(String(r['relatedSpdxElement']));
    if (from !== undefined && to !== undefined) relationships.push({ kind: 'depends-on', from, to });
  }
  return finish(distro, packages, relationships, subject);
}

function finish(distro: Distro | undefined, packages: Package[], relationships: Relationship[], subject: SbomSubject | undefined): Catalog & { readonly subject?: SbomSubject } {
  return {
    ...(distro !== undefined ? { distro } : {}),
    packages: sortPackages(packages),
    relationships: dedupeRelationships(relationships),
    unknowns: [],
    ...(subject !== undefined ? { subject } : {}),
  };
}
