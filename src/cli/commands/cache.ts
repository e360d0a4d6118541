import { InvalidArgumentError, Option } from 'commander';
import type { RegisterCommand } from '../context.ts';
import type { CacheBudget } from '../../services/cache.ts';
import { json, writeOutput } from '../render/output.ts';
import { renderTable } from '../render/table.ts';

interface CacheOptions {
  readonly format: 'json' | 'table';
  readonly output?: string;
}

interface PruneFlags extends CacheOptions {
  readonly maxSize?: number;
  readonly olderThan?: number;
  readonly all?: boolean;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1000 ** 4, tib: 1024 ** 4 };

/** `500M`, `2GiB`, `1.5GB`, `1048576`: bytes (K/M/G/T alone are binary, as du and docker read them). */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const factor = match === null ? undefined : UNITS[(match[2] ?? '').toLowerCase()];
  if (match === null || factor === undefined) throw new InvalidArgumentError('a size such as 500M, 2GiB or 1073741824');
  return Math.floor(Number(match[1]) * factor);
}

function parseDays(text: string): number {
  const days = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(days) || days < 1) throw new InvalidArgumentError('a whole number of days (1 or more)');
  return days;
}

/** Bytes for people: 1.5 GiB, 320 KiB. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${String(bytes)} B` : `${value.toFixed(1)} ${units[unit] ?? ''}`;
}

const describeBudget = (budget: CacheBudget): string => `budget: ${formatSize(budget.maxBytes)}, entries unused for ${String(budget.maxAgeDays)} days go`;

/** `tollgate cache usage|prune`: the data folder's layer and catalogue caches. */
export const registerCache: RegisterCommand = (program, ctx) => {
  const cache = program
    .command('cache')
    .description("show or prune the data folder's caches (layer contents, catalogues); everything there can be recomputed");
  const formatOption = (): Option => new Option('--format <format>', 'output format').choices(['table', 'json']).default('table');

  cache
    .command('usage')
    .description('files and bytes per cache, the least recent use, and the configured budget')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (options: CacheOptions) => {
      const services = await ctx.services('cache');
      const usage = await services.cache.usage();
      const text =
        options.format === 'json'
          ? json(usage)
          : [
              `cache: ${usage.dir}`,
              renderTable(
                ['kind', 'files', 'size'],
                usage.kinds.map((k) => [k.kind, String(k.files), formatSize(k.bytes)]),
                ctx.style,
              ),
              `total: ${String(usage.files)} files, ${formatSize(usage.bytes)}` +
                (usage.oldestUse !== undefined ? `; least recent use ${new Date(usage.oldestUse).toISOString()}` : ''),
              describeBudget(usage.budget),
            ].join('\n');
      await writeOutput(text, { output: options.output });
    });

  cache
    .command('prune')
    .description('remove cache entries now: unused for longer than the age limit, then least recently used until the rest fits the size budget')
    .option('--max-size <size>', 'size budget for this prune (default: config cache.maxBytes), e.g. 500M, 2GiB', parseSize)
    .option('--older-than <days>', 'remove entries unused for this many days (default: config cache.maxAgeDays)', parseDays)
    .option('--all', 'remove every entry (temporary files younger than an hour stay: a run may be writing them)')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Runs that use the cache (sbom, scan, inspect) also prune it to the configured budget when they
end, at most every 10 minutes. A cache hit counts as a use. Removing an entry another run is
reading is safe: that run reads the layer again.

Config example:
  cache:
    maxBytes: 4294967296   # 4 GiB (default 2 GiB)
    maxAgeDays: 14         # default 30

Examples:
  tollgate cache prune --max-size 500M
  tollgate cache prune --all --format json`,
    )
    .action(async (options: PruneFlags) => {
      const services = await ctx.services('cache');
      const report = await services.cache.prune({
        ...(options.maxSize !== undefined ? { maxBytes: options.maxSize } : {}),
        ...(options.olderThan !== undefined ? { maxAgeDays: options.olderThan } : {}),
        ...(options.all === true ? { all: true } : {}),
      });
      const text =
        options.format === 'json'
          ? json(report)
          : [
              `cache: ${report.dir}`,
              `removed ${String(report.removedFiles)} files, ${formatSize(report.removedBytes)}; left ${String(report.files)} files, ${formatSize(report.bytes)}`,
              describeBudget(report.budget),
            ].join('\n');
      await writeOutput(text, { output: options.output });
    });
};
