import { Option } from 'commander';
import type { Catalog } from '../../catalog/index.ts';
import type { RegisterCommand } from '../context.ts';
import { writeOutput } from '../render/output.ts';
import { renderTable, type Style } from '../render/table.ts';

interface SbomOptions {
  readonly format: 'cyclonedx-json' | 'spdx-json' | 'table' | 'json';
  readonly specVersion: '1.5' | '1.6';
  readonly reproducible?: boolean;
  readonly platform?: string;
  readonly output?: string;
}

/** `tollgate sbom <source>`: catalogue an image or folder and write an SBOM. */
export const registerSbom: RegisterCommand = (program, ctx) => {
  program
    .command('sbom')
    .description('catalogue the OS and language packages of an image or folder and write an SBOM (CycloneDX, SPDX)')
    .argument('<source>', 'oci-archive:FILE, docker-archive:FILE, oci:DIR, dir:PATH, registry:REF or an image reference')
    .addOption(
      new Option('--format <format>', 'output format').choices(['cyclonedx-json', 'spdx-json', 'table', 'json']).default('cyclonedx-json'),
    )
    .addOption(new Option('--spec-version <version>', 'CycloneDX specification version').choices(['1.5', '1.6']).default('1.6'))
    .option('--reproducible', 'fixed serial number and timestamp: the same input gives byte-identical output')
    .option('--platform <os/arch[/variant]>', 'platform to catalogue from a multi-platform image (default: linux/<host arch>)')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Cataloguers: dpkg (status, status.d, info/*.list), apk, rpm (sqlite, ndb, bdb), os-release,
npm (installed node_modules; lockfiles for folder sources), Python (dist-info, egg-info),
Go (build info in binaries), Java (jar/war/ear, nested), and executables no package owns.
Files that cannot be read are listed as unknowns (shown by --format table and json), never skipped silently.

Examples:
  tollgate sbom oci-archive:image.tar --format spdx-json -o sbom.spdx.json
  tollgate sbom dir:./rootfs --format table
  tollgate sbom oci-archive:image.tar --reproducible --spec-version 1.5
  tollgate sbom docker.io/library/debian:12 --platform linux/arm64 -o debian-arm64.cdx.json`,
    )
    .action(async (source: string, options: SbomOptions) => {
      const services = await ctx.services('sbom');
      const progress = ctx.progress();
      progress.update(`cataloguing ${source}`);
      let result;
      try {
        result = await services.sbom.catalogSource(source, {
          ...(options.platform !== undefined ? { platform: options.platform } : {}),
          onProgress: (done, total, id) => progress.update(`cataloguing ${source}: ${id} (${done}/${total})`),
        });
      } finally {
        progress.done();
      }
      const text =
        options.format === 'table'
          ? renderCatalogTable(result.catalog, ctx.style)
          : services.sbom.renderSbom(result, {
              format: options.format,
              specVersion: options.specVersion,
              reproducible: options.reproducible === true,
            });
      await writeOutput(text, { output: options.output });
    });
};

function renderCatalogTable(catalog: Catalog, style: Style): string {
  const licences = (list: readonly string[]): string =>
    list.length === 0 ? '-' : list.length <= 2 ? list.join(', ') : `${list.slice(0, 2).join(', ')} +${String(list.length - 2)}`;
  const rows = catalog.packages.map((p) => [p.name, p.version, p.ecosystem, licences(p.licenses), p.locations[0]?.path ?? '-']);
  const parts = [renderTable(['NAME', 'VERSION', 'TYPE', 'LICENSES', 'LOCATION'], rows, style)];
  const distro = catalog.distro === undefined ? 'unknown' : catalog.distro.prettyName ?? `${catalog.distro.id} ${catalog.distro.versionId ?? ''}`;
  parts.push('', `${catalog.packages.length} packages; distribution: ${distro}`);
  if (catalog.unknowns.length > 0) {
    parts.push('', style.yellow(`${catalog.unknowns.length} unknowns:`));
    parts.push(renderTable(['SOURCE', 'PATH', 'REASON'], catalog.unknowns.map((u) => [u.source, u.path ?? '-', u.reason]), style));
  }
  return parts.join('\n');
}
