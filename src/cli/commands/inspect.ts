import { Option } from 'commander';
import type { FileEntry } from '../../image/index.ts';
import type { ImageInspection } from '../../services/image.ts';
import type { RegisterCommand } from '../context.ts';
import { json, writeOutput } from '../render/output.ts';
import { renderTable, type Style } from '../render/table.ts';

interface InspectCliOptions {
  readonly platform?: string;
  readonly files?: boolean;
  readonly format: 'table' | 'json';
  readonly output?: string;
}

/** `tollgate inspect <source>`: digest, media type, platform, config, layers and the file index. */
export const registerInspect: RegisterCommand = (program, ctx) => {
  program
    .command('inspect')
    .description('read an image (every layer streamed once, nothing extracted) and print its digest, config, layers and file count')
    .argument('<source>', 'dir:PATH, oci:DIR[:tag], oci-archive:FILE[:tag], docker-archive:FILE[:ref], registry:HOST/REPO:TAG or a bare reference')
    .option('--platform <os/arch[/variant]>', 'platform to pick from a multi-platform image (default: linux/<host arch>)')
    .option('--files', 'also print the file index (path, type, mode, uid/gid, size, sha256, link target, layer)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Every manifest, config and layer is checked against its digest, every layer against the config's
diff id; hostile archives (path traversal, symlink escapes, device files, decompression bombs,
truncated streams) are refused with a stable error code (docs/errors.md). The file index is stored
under <data-dir>/file-index/ keyed by the image digest (drift detection compares against it).
Registry credentials: TOLLGATE_REGISTRY_USERNAME/PASSWORD or TOLLGATE_REGISTRY_TOKEN; plain-HTTP
registries: --insecure-registry=HOST (or TOLLGATE_INSECURE_REGISTRIES).

Examples:
  tollgate inspect oci-archive:app.tar
  tollgate inspect docker-archive:app-docker.tar --files --format json -o app.json
  tollgate --insecure-registry=127.0.0.1:5000 inspect 127.0.0.1:5000/app:1 --platform linux/amd64`,
    )
    .action(async (source: string, options: InspectCliOptions) => {
      const services = await ctx.services('image');
      const progress = ctx.progress();
      let result: ImageInspection;
      try {
        result = await services.image.inspectImage(source, {
          ...(options.platform !== undefined ? { platform: options.platform } : {}),
          files: options.files === true,
          onProgress: (message) => progress.update(message),
        });
      } finally {
        progress.done();
      }
      const text = options.format === 'json' ? json(result) : renderInspection(result, ctx.style);
      await writeOutput(text, { output: options.output });
    });
};

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

const list = (value: readonly string[] | null): string => (value === null ? '-' : JSON.stringify(value));

export function renderInspection(r: ImageInspection, style: Style): string {
  const c = r.config;
  const hc = c.healthcheck;
  const rows: [string, string][] = [
    ['source', r.source],
    ['digest', r.digest ?? '-'],
    ...(r.indexDigest !== null ? ([['index digest', r.indexDigest]] as [string, string][]) : []),
    ['media type', r.mediaType ?? '-'],
    ['platform', r.platform ?? '-'],
    ['config', r.configDigest ?? '-'],
    ['created', r.created ?? '-'],
    ['user', c.user === null || c.user === '' ? '-' : c.user],
    ['entrypoint', list(c.entrypoint)],
    ['cmd', list(c.cmd)],
    ['working dir', c.workingDir ?? '-'],
    ...c.env.map((e, i): [string, string] => [i === 0 ? 'env' : '', e]),
    ...Object.entries(c.labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v], i): [string, string] => [i === 0 ? 'labels' : '', `${k}=${v}`]),
    ...(c.exposedPorts.length > 0 ? ([['ports', c.exposedPorts.join(' ')]] as [string, string][]) : []),
    [
      'healthcheck',
      hc === null
        ? '-'
        : `${JSON.stringify(hc.Test ?? [])}${hc.Interval !== undefined ? ` interval=${hc.Interval / 1e9}s` : ''}${hc.Timeout !== undefined ? ` timeout=${hc.Timeout / 1e9}s` : ''}${hc.Retries !== undefined ? ` retries=${hc.Retries}` : ''}`,
    ],
    ['files', String(r.fileCount)],
    ['size', `${bytes(r.compressedSize)} compressed, ${bytes(r.uncompressedSize)} uncompressed`],
  ];
  const parts = [renderTable(['field', 'value'], rows, style)];
  if (r.layers.length > 0) {
    parts.push(
      renderTable(
        ['#', 'digest', 'size', 'uncompressed', 'compression', 'entries', 'files'],
        r.layers.map((l, i) => [String(i + 1), l.digest, bytes(l.size), bytes(l.uncompressedSize), l.compression, String(l.entries), String(l.files)]),
        style,
      ),
    );
  }
  if (r.files !== undefined) parts.push(renderFiles(r.files, style));
  return parts.join('\n\n');
}

const TYPE_CHAR: Readonly<Record<string, string>> = { file: '-', dir: 'd', symlink: 'l', hardlink: 'h', fifo: 'p', char: 'c', block: 'b' };

function renderFiles(files: readonly FileEntry[], style: Style): string {
  return renderTable(
    ['type', 'mode', 'uid:gid', 'size', 'sha256', 'layer', 'path'],
    files.map((f) => [
      TYPE_CHAR[f.type] ?? '?',
      f.mode.toString(8).padStart(4, '0'),
      `${f.uid}:${f.gid}`,
      String(f.size),
      f.sha256 ?? '-',
      f.layer.slice(0, 19),
      f.linkTarget !== undefined ? `${f.path} -> ${f.linkTarget}` : f.path,
    ]),
    style,
  );
}
