// Sub-path imports: the package root also loads the optional JSON-schema and XML validators (ajv…),
// ~30 ms of every run that writes an SBOM; writing needs none of them.
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import * as SPDX from '@cyclonedx/cyclonedx-library/SPDX';
import type { Catalog, Package } from '../model.ts';
import { byCodePoint } from '../../core/order.ts';
import { canonicalPackages } from '../run.ts';
import { combineLicenses, resolveIdentity, type SbomWriteOptions } from './options.ts';

export type CycloneDxSpecVersion = '1.5' | '1.6';

const SPECS = { '1.5': Spec.Spec1dot5, '1.6': Spec.Spec1dot6 } as const;

/** Property names Tollgate writes (and reads back) on components. */
export const PROP = {
  foundBy: 'tollgate:package:foundBy',
  ecosystem: 'tollgate:package:ecosystem',
  arch: 'tollgate:package:arch',
  sourceName: 'tollgate:package:sourceName',
  sourceVersion: 'tollgate:package:sourceVersion',
  location: 'tollgate:location', // tollgate:location:<n>:path / :layer
  metadata: 'tollgate:metadata:', // tollgate:metadata:<key>
} as const;

/**
 * CycloneDX JSON via @cyclonedx/cyclonedx-library: package ids as bom-refs, the distribution as an
 * operating-system component, depends-on edges as the dependency graph. Validates against the official
 * schema of the chosen version (tests).
 *
 * Lists are written in an order this function fixes (components, licences, locations and metadata as
 * canonicalPackages orders them, dependencies by code point, properties in one fixed order), not
 * by the library's `sortLists`: that compares with `localeCompare`, whose first call loads ICU's
 * collation data (~14 ms, a tenth of a warm run) and whose order depends on the process's locale.
 */
export function writeCycloneDx(catalog: Catalog, options: SbomWriteOptions & { readonly specVersion?: CycloneDxSpecVersion }): string {
  const version = options.specVersion ?? '1.6';
  const { uuid, timestamp } = resolveIdentity(catalog, options, `cyclonedx-${version}`);
  const bom = new Models.Bom({ serialNumber: `urn:uuid:${uuid}` });
  bom.metadata.timestamp = new Date(timestamp);
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, options.tool.name, { version: options.tool.version, bomRef: `tool:${options.tool.name}` }),
  );
  const subject = new Models.Component(Enums.ComponentType.Container, options.subject.name, {
    bomRef: 'image',
    ...(options.subject.digest !== undefined ? { version: options.subject.digest } : {}),
  });
  bom.metadata.component = subject;
  const components = new Map<string, Models.Component>();
  if (catalog.distro !== undefined) {
    const os = new Models.Component(Enums.ComponentType.OperatingSystem, catalog.distro.id, {
      bomRef: `os:${catalog.distro.id}`,
      ...(catalog.distro.versionId !== undefined ? { version: catalog.distro.versionId } : {}),
      ...(catalog.distro.prettyName !== undefined ? { description: catalog.distro.prettyName } : {}),
    });
    bom.components.add(os);
  }
  for (const pkg of canonicalPackages(catalog.packages)) {
    const component = toComponent(pkg);
    components.set(pkg.id, component);
    bom.components.add(component);
  }
  const dependsOn = catalog.relationships
    .filter((r) => r.kind === 'depends-on')
    .sort((a, b) => byCodePoint(a.from, b.from) || byCodePoint(a.to, b.to));
  for (const r of dependsOn) {
    const from = components.get(r.from);
    const to = components.get(r.to);
    if (from !== undefined && to !== undefined) from.dependencies.add(to.bomRef);
  }
  for (const component of components.values()) subject.dependencies.add(component.bomRef);
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(SPECS[version]));
  return serializer.serialize(bom, { sortLists: false, space: 2 });
}

function toComponent(pkg: Package): Models.Component {
  const component = new Models.Component(Enums.ComponentType.Library, pkg.name, {
    bomRef: pkg.id,
    version: pkg.version,
    purl: pkg.purl,
  });
  // several plain ids stay a list of licences (CycloneDX allows a list of ids/names, or one expression)
  if (pkg.licenses.length > 1 && pkg.licenses.every((l) => !/\s/.test(l))) {
    for (const id of pkg.licenses) component.licenses.add(SPDX.isSupportedSpdxId(id) ? new Models.SpdxLicense(id) : new Models.NamedLicense(id));
  } else {
    const expression = combineLicenses(pkg.licenses);
    if (expression !== undefined) component.licenses.add(new Models.LicenseExpression(expression));
  }
  const props: [string, string][] = [
    [PROP.foundBy, pkg.foundBy],
    [PROP.ecosystem, pkg.ecosystem],
  ];
  if (pkg.arch !== undefined) props.push([PROP.arch, pkg.arch]);
  if (pkg.source !== undefined) {
    props.push([PROP.sourceName, pkg.source.name]);
    if (pkg.source.version !== undefined) props.push([PROP.sourceVersion, pkg.source.version]);
  }
  pkg.locations.forEach((location, index) => {
    props.push([`${PROP.location}:${index}:path`, location.path]);
    props.push([`${PROP.location}:${index}:layer`, location.layer]);
  });
  // indexed loops, not destructuring ones: run once per package per process, mostly in V8's interpreter
  // (see access-log.ts holdersOf)
  if (pkg.metadata !== undefined) {
    const keys = Object.keys(pkg.metadata);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      props.push([`${PROP.metadata}${key}`, pkg.metadata[key] as string]);
    }
  }
  for (let i = 0; i < props.length; i++) {
    const prop = props[i] as [string, string];
    component.properties.add(new Models.Property(prop[0], prop[1]));
  }
  return component;
}
