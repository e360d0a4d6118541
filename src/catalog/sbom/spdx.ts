import { createHash } from 'node:crypto';
import type { Catalog, Package } from '../model.ts';
import { byCodePoint } from '../../core/order.ts';
import { canonicalPackages } from '../run.ts';
import { combineLicenses, resolveIdentity, type SbomWriteOptions } from './options.ts';

/** Machine-readable facts SPDX 2.3 has no field for, kept in the package comment so the reader can restore them. */
export const SPDX_COMMENT_PREFIX = 'tollgate:';

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: string;
  filesAnalyzed: false;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: string;
  supplier?: string;
  sourceInfo?: string;
  comment?: string;
  primaryPackagePurpose: string;
  externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
}

/**
 * SPDX 2.3 JSON: one package per catalogued package, DESCRIBES/CONTAINS/DEPENDS_ON relationships, every list
 * in an order this function fixes (the same catalogue in another order gives the same bytes).
 */
export function writeSpdx(catalog: Catalog, options: SbomWriteOptions): string {
  const { uuid, timestamp } = resolveIdentity(catalog, options, 'spdx-2.3');
  const refs = new Map<string, string>();
  const used = new Set<string>();
  const refFor = (id: string, name: string): string => {
    let base = `SPDXRef-Package-${name.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 60)}-${createHash('sha256').update(id).digest('hex').slice(0, 12)}`;
    while (used.has(base)) base = `${base}-x`;
    used.add(base);
    refs.set(id, base);
    return base;
  };
  const extracted = new Map<string, string>();
  const licenseField = (licenses: readonly string[]): string => {
    const expression = combineLicenses(licenses);
    if (expression === undefined) return 'NOASSERTION';
    for (const match of expression.matchAll(/LicenseRef-[A-Za-z0-9.-]+/g)) extracted.set(match[0], match[0].slice('LicenseRef-'.length));
    return expression;
  };
  const subjectRef = 'SPDXRef-Image';
  const packages: SpdxPackage[] = [
    {
      SPDXID: subjectRef,
      name: options.subject.name,
      ...(options.subject.digest !== undefined ? { versionInfo: options.subject.digest } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'CONTAINER',
    },
  ];
  if (catalog.distro !== undefined) {
    packages.push({
      SPDXID: 'SPDXRef-OperatingSystem',
      name: catalog.distro.id,
      ...(catalog.distro.versionId !== undefined ? { versionInfo: catalog.distro.versionId } : {}),
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: 'OPERATING_SYSTEM',
      ...(catalog.distro.prettyName !== undefined ? { comment: catalog.distro.prettyName } : {}),
    });
  }
  for (const pkg of canonicalPackages(catalog.packages)) packages.push(toSpdxPackage(pkg, refFor(pkg.id, pkg.name), licenseField(pkg.licenses)));
  const relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: subjectRef },
  ];
  if (catalog.distro !== undefined) relationships.push({ spdxElementId: subjectRef, relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-OperatingSystem' });
  for (const r of catalog.relationships) {
    if (r.kind === 'owns') continue;
    const from = r.from === 'image' ? subjectRef : refs.get(r.from);
    const to = refs.get(r.to);
    if (from === undefined || to === undefined) continue;
    relationships.push({ spdxElementId: from, relationshipType: r.kind === 'contains' ? 'CONTAINS' : 'DEPENDS_ON', relatedSpdxElement: to });
  }
  relationships.sort((a, b) => byCodePoint(a.spdxElementId, b.spdxElementId) || byCodePoint(a.relationshipType, b.relationshipType) || byCodePoint(a.relatedSpdxElement, b.relatedSpdxElement));
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: options.subject.name,
    documentNamespace: `https://tollgate.invalid/spdx/${encodeURIComponent(options.subject.name.replace(/[^A-Za-z0-9._-]+/g, '-'))}-${uuid}`,
    creationInfo: {
      created: timestamp,
      creators: [`Tool: ${options.tool.name}-${options.tool.version}`],
    },
    packages,
    relationships,
    ...(extracted.size > 0
      ? {
          hasExtractedLicensingInfos: [...extracted.entries()]
            .sort(([a], [b]) => byCodePoint(a, b))
            .map(([licenseId, text]) => ({ licenseId, extractedText: text, name: text })),
        }
      : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function toSpdxPackage(pkg: Package, spdxId: string, license: string): SpdxPackage {
  const facts = {
    ecosystem: pkg.ecosystem,
    foundBy: pkg.foundBy,
    id: pkg.id,
    locations: pkg.locations,
    ...(pkg.licenses.length > 1 ? { licenses: pkg.licenses } : {}),
    ...(pkg.arch !== undefined ? { arch: pkg.arch } : {}),
    ...(pkg.metadata !== undefined ? { metadata: pkg.metadata } : {}),
  };
  return {
    SPDXID: spdxId,
    name: pkg.name,
    versionInfo: pkg.version,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: license,
    copyrightText: 'NOASSERTION',
    supplier: 'NOASSERTION',
    sourceInfo: `found by ${pkg.foundBy} at ${pkg.locations.map((l) => l.path).join(', ')}${
      pkg.source !== undefined ? `; source package ${pkg.source.name}${pkg.source.version !== undefined ? ` ${pkg.source.version}` : ''}` : ''
    }`,
    comment: `${SPDX_COMMENT_PREFIX}${JSON.stringify({ ...facts, ...(pkg.source !== undefined ? { source: pkg.source } : {}) })}`,
    primaryPackagePurpose: pkg.ecosystem === 'binary' ? 'APPLICATION' : 'LIBRARY',
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl }],
  };
}
