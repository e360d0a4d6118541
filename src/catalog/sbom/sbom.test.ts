import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import { corpusDir } from '../../testing/peers.ts';
import { inlineTree } from '../_shared/test-tree.ts';
import type { Catalog } from '../model.ts';
import { CATALOGUERS } from '../registry.ts';
import { runCatalog } from '../run.ts';
import { writeCycloneDx } from './cyclonedx.ts';
import { readSbom } from './read.ts';
import { writeSpdx } from './spdx.ts';

const STATUS = `Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Depends: libgcc-s1
Description: GNU C Library: Shared libraries

Package: libgcc-s1
Status: install ok installed
Architecture: amd64
Source: gcc-12 (12.2.0-14)
Version: 12.2.0-14
Description: GCC support library
`;

async function sampleCatalog(): Promise<Catalog> {
  const tree = inlineTree({
    '/etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    '/var/lib/dpkg/status': STATUS,
    '/var/lib/dpkg/info/libc6:amd64.list': '/.\n/lib\n/lib/x86_64-linux-gnu/libc.so.6\n',
    '/lib/x86_64-linux-gnu/libc.so.6': 'x',
    '/usr/share/doc/libc6/copyright': 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: LGPL-2.1+\n',
    '/app/node_modules/@babel/code-frame/package.json': JSON.stringify({ name: '@babel/code-frame', version: '7.24.7', license: 'MIT', dependencies: { picocolors: '^1' } }),
    '/app/node_modules/picocolors/package.json': JSON.stringify({ name: 'picocolors', version: '1.0.1', license: 'ISC' }),
    '/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n',
    '/usr/lib/python3/dist-packages/weird-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: weird\nVersion: 1.0\nLicense: Some Custom Licence v2\n',
  });
  const { stats: _stats, ...catalog } = await runCatalog({ cataloguers: CATALOGUERS, tree, log: silentLogger });
  return catalog;
}

const OPTIONS = {
  subject: { name: 'oci-archive:/tmp/sample.tar', digest: 'sha256:0000000000000000000000000000000000000000000000000000000000000001' },
  tool: { name: 'tollgate', version: '0.1.0' },
  reproducible: true,
} as const;

describe('catalog/sbom CycloneDX', () => {
  it.each(['1.5', '1.6'] as const)('writes CycloneDX %s JSON that the official schema accepts', async (version) => {
    const text = writeCycloneDx(await sampleCatalog(), { ...OPTIONS, specVersion: version });
    const validator = new Validation.JsonStrictValidator(version === '1.5' ? Spec.Version.v1dot5 : Spec.Version.v1dot6);

    expect(await validator.validate(text)).toBeNull();
    expect(JSON.parse(text)).toMatchObject({ bomFormat: 'CycloneDX', specVersion: version });
  });

  it('is byte-identical for the same input under reproducible, and differs without it', async () => {
    const a = writeCycloneDx(await sampleCatalog(), OPTIONS);
    const b = writeCycloneDx(await sampleCatalog(), OPTIONS);
    const c = writeCycloneDx(await sampleCatalog(), { ...OPTIONS, reproducible: false, now: new Date('2026-01-02T03:04:05Z'), randomUuid: () => '6f1c3c1e-1f0e-4a53-9c4b-2d7f3b9b3b11' });

    expect(a).toBe(b);
    expect(JSON.parse(a).metadata.timestamp).toBe('1970-01-01T00:00:00.000Z');
    expect(JSON.parse(c).serialNumber).toBe('urn:uuid:6f1c3c1e-1f0e-4a53-9c4b-2d7f3b9b3b11');
    expect(JSON.parse(c).metadata.timestamp).toBe('2026-01-02T03:04:05.000Z');
  });

  it('fixes the order of every list itself: a catalogue whose lists come in another order gives the same bytes (SPDX too)', async () => {
    const catalog = await sampleCatalog();
    const withMetadata = (reverse: boolean): Catalog => {
      const packages = catalog.packages.map((p) => {
        const entries: [string, string][] = [['zeta', '1'], ['alpha', '2']];
        const locations = [...p.locations, { layer: 'sha256:00', path: '/zz/copy' }];
        return {
          ...p,
          licenses: reverse ? [...p.licenses, 'Zlib'].reverse() : [...p.licenses, 'Zlib'],
          locations: reverse ? locations.reverse() : locations,
          metadata: Object.fromEntries(reverse ? entries.reverse() : entries),
        };
      });
      return {
        ...catalog,
        packages: reverse ? packages.reverse() : packages,
        relationships: reverse ? [...catalog.relationships].reverse() : catalog.relationships,
      };
    };
    const text = writeCycloneDx(withMetadata(false), OPTIONS);
    expect(writeCycloneDx(withMetadata(true), OPTIONS)).toBe(text);
    expect(writeSpdx(withMetadata(true), OPTIONS)).toBe(writeSpdx(withMetadata(false), OPTIONS));

    const doc = JSON.parse(text) as { components: { 'bom-ref': string; properties: { name: string }[] }[]; dependencies: { ref: string; dependsOn?: string[] }[] };
    const refs = doc.components.map((c) => c['bom-ref']);
    expect(refs[0]).toBe('os:debian');
    const packageRefs = catalog.packages.map((p) => p.id);
    expect(refs.slice(1)).toEqual(packageRefs);
    const names = doc.components[1]?.properties.map((p) => p.name) ?? [];
    expect(names.slice(0, 2)).toEqual(['tollgate:package:foundBy', 'tollgate:package:ecosystem']);
    expect(names.filter((n) => n.startsWith('tollgate:metadata:'))).toEqual(['tollgate:metadata:alpha', 'tollgate:metadata:zeta']);
    const image = doc.dependencies.find((d) => d.ref === 'image');
    expect(image?.dependsOn).toEqual(packageRefs);
  });

  it('round-trips: CycloneDX → model gives the same packages, dependencies and distribution', async () => {
    const catalog = await sampleCatalog();
    const back = readSbom(writeCycloneDx(catalog, OPTIONS));

    expect(back.format).toBe('cyclonedx-json');
    expect(back.packages).toEqual(catalog.packages);
    expect(back.distro).toMatchObject({ id: 'debian', versionId: '12' });
    expect(back.relationships.filter((r) => r.kind === 'depends-on')).toEqual(catalog.relationships.filter((r) => r.kind === 'depends-on'));
  });
});

/** The official SPDX 2.3 schema (see __fixtures__/SOURCES.md). */
function spdxValidator(): (doc: unknown) => readonly unknown[] {
  const schema = JSON.parse(readFileSync(new URL('./__fixtures__/spdx-schema-2.3.json', import.meta.url), 'utf8')) as object;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  return (doc) => (validate(doc) ? [] : [...(validate.errors ?? [])]);
}

describe('catalog/sbom SPDX', () => {
  it('writes SPDX 2.3 JSON that the official schema accepts', async () => {
    const errors = spdxValidator()(JSON.parse(writeSpdx(await sampleCatalog(), OPTIONS)));

    expect(errors).toEqual([]);
  });

  it('the schema check can fail: a document with a wrong purpose is rejected', async () => {
    const doc = JSON.parse(writeSpdx(await sampleCatalog(), OPTIONS)) as { packages: { primaryPackagePurpose: string }[] };
    (doc.packages[0] as { primaryPackagePurpose: string }).primaryPackagePurpose = 'OPERATING-SYSTEM';

    expect(spdxValidator()(doc).length).toBeGreaterThan(0);
  });

  it('is byte-identical for the same input under reproducible', async () => {
    expect(writeSpdx(await sampleCatalog(), OPTIONS)).toBe(writeSpdx(await sampleCatalog(), OPTIONS));
  });

  it('declares every LicenseRef it uses and uses valid SPDX ids', async () => {
    const doc = JSON.parse(writeSpdx(await sampleCatalog(), OPTIONS)) as {
      packages: { SPDXID: string; licenseDeclared: string }[];
      hasExtractedLicensingInfos?: { licenseId: string }[];
    };
    const declared = new Set((doc.hasExtractedLicensingInfos ?? []).map((l) => l.licenseId));
    const used = doc.packages.flatMap((p) => [...p.licenseDeclared.matchAll(/LicenseRef-[A-Za-z0-9.-]+/g)].map((m) => m[0]));

    expect(used.length).toBeGreaterThan(0);
    for (const ref of used) expect(declared.has(ref)).toBe(true);
    for (const p of doc.packages) expect(p.SPDXID).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
  });

  it('round-trips: SPDX → model gives the same packages and dependencies', async () => {
    const catalog = await sampleCatalog();
    const back = readSbom(writeSpdx(catalog, OPTIONS));

    expect(back.format).toBe('spdx-json');
    expect(back.packages).toEqual(catalog.packages);
    expect(back.relationships.filter((r) => r.kind === 'depends-on')).toEqual(catalog.relationships.filter((r) => r.kind === 'depends-on'));
  });
});

describe('catalog/sbom readSbom', () => {
  it.each([
    ['not JSON', '{', 'SBOM_INVALID'],
    ['another document', '{"hello":1}', 'SBOM_FORMAT_UNSUPPORTED'],
  ])('rejects %s with %s', (_label, text, code) => {
    let caught: unknown;
    try {
      readSbom(text);
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.code).toBe(code);
  });

  it('reads back what the SBOM describes: ours name the image digest in CycloneDX and SPDX alike', async () => {
    const catalog = await sampleCatalog();
    expect(readSbom(writeCycloneDx(catalog, OPTIONS)).subject).toEqual(OPTIONS.subject);
    expect(readSbom(writeSpdx(catalog, OPTIONS)).subject).toEqual(OPTIONS.subject);
    const { digest: _digest, ...unpinned } = OPTIONS.subject;
    expect(readSbom(writeCycloneDx(catalog, { ...OPTIONS, subject: unpinned })).subject).toEqual(unpinned);
    expect(readSbom(writeSpdx(catalog, { ...OPTIONS, subject: unpinned })).subject).toEqual(unpinned);
  });

  it("takes the manifest digest from a pkg:oci purl or trivy's RepoDigest, never trivy's ImageID (the config's digest)", () => {
    const fixtures = `${corpusDir()}trivy-integration/integration/testdata/fixtures/sbom/`;
    const cdx = JSON.parse(readFileSync(`${fixtures}centos-7-cyclonedx.json`, 'utf8')) as { metadata: { component: { name: string; properties: { name: string; value: string }[]; purl?: string } } };
    const spdx = JSON.parse(readFileSync(`${fixtures}centos-7-spdx.json`, 'utf8')) as { packages: { SPDXID: string; attributionTexts?: string[] }[] };
    const name = 'integration/testdata/fixtures/images/centos-7.tar.gz';
    // as trivy wrote them for an image archive: an ImageID, no repository digest
    expect(readSbom(JSON.stringify(cdx)).subject).toEqual({ name });
    expect(readSbom(JSON.stringify(spdx)).subject).toEqual({ name });
    // SPDX 2.2 has no package purposes: the image is still the subject and the OS the distribution,
    // neither a package; the same packages and distribution as trivy's CycloneDX of the same image
    const fromSpdx = readSbom(JSON.stringify(spdx));
    const fromCdx = readSbom(JSON.stringify(cdx));
    expect(fromSpdx.packages.map((p) => p.name)).toEqual(fromCdx.packages.map((p) => p.name));
    expect(fromSpdx.distro).toEqual({ id: 'centos', versionId: '7.6.1810' });
    expect(fromSpdx.distro).toEqual(fromCdx.distro);

    const manifest = `sha256:${'ab'.repeat(32)}`;
    cdx.metadata.component.properties.push({ name: 'aquasecurity:trivy:RepoDigest', value: `ghcr.io/aquasecurity/trivy-test-images@${manifest}` });
    expect(readSbom(JSON.stringify(cdx)).subject).toEqual({ name, digest: manifest });
    const image = spdx.packages.find((p) => p.SPDXID.startsWith('SPDXRef-ContainerImage'));
    image?.attributionTexts?.push(`RepoDigest: ghcr.io/aquasecurity/trivy-test-images@${manifest}`);
    expect(readSbom(JSON.stringify(spdx)).subject).toEqual({ name, digest: manifest });

    const other = `sha256:${'cd'.repeat(32)}`;
    cdx.metadata.component.properties = [];
    cdx.metadata.component.purl = `pkg:oci/centos@${encodeURIComponent(other)}?repository_url=ghcr.io/aquasecurity/trivy-test-images`;
    expect(readSbom(JSON.stringify(cdx)).subject).toEqual({ name, digest: other });
    cdx.metadata.component.purl = 'pkg:oci/centos@latest';
    expect(readSbom(JSON.stringify(cdx)).subject).toEqual({ name });
  });

  it('reads a foreign CycloneDX document without Tollgate properties', () => {
    const catalog = readSbom(
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        components: [{ type: 'library', 'bom-ref': 'a', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21', licenses: [{ license: { id: 'MIT' } }] }],
      }),
    );

    expect(catalog.packages).toEqual([
      { id: 'a', name: 'lodash', version: '4.17.21', ecosystem: 'npm', purl: 'pkg:npm/lodash@4.17.21', licenses: ['MIT'], locations: [], foundBy: 'cyclonedx-import' },
    ]);
  });
});
