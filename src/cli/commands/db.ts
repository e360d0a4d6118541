import { Option } from 'commander';
import type { RegisterCommand } from '../context.ts';
import type { ImportReport } from '../../services/vuln-db.ts';
import { json, writeOutput } from '../render/output.ts';
import { renderTable } from '../render/table.ts';

interface DbOptions {
  readonly db?: string;
  readonly format: 'json' | 'table';
  readonly output?: string;
}

const formatOption = (): Option => new Option('--format <format>', 'output format').choices(['table', 'json']).default('table');

/** `tollgate db import|update|status`: the local advisory database (OSV and distro feeds, SQLite). */
export const registerDb: RegisterCommand = (program, ctx) => {
  const db = program
    .command('db')
    .description('manage the local advisory database (OSV records, Alpine secdb, …) used by scan');

  const renderImport = (report: ImportReport): string =>
    renderTable(
      ['source', 'kind', 'status', 'advisories', 'affected', 'skipped', 'ms'],
      report.sources.map((s) => [s.name, s.kind, s.status, String(s.advisories), String(s.affected), String(s.skipped), String(s.ms)]),
      ctx.style,
    ) + `\ndatabase: ${report.db}  total: ${report.ms} ms`;

  db.command('import')
    .description('import advisories from folders of OSV JSON, osv.dev all.zip files, secdb files, or URLs')
    .argument('<source...>', 'a folder, a .zip, a .json/.yaml file, or an http(s) URL of one of those')
    .option('--db <path>', 'database file (default: <data-dir>/vuln.db)')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Recognised formats: OSV JSON (one record per file, osv.dev's per-ecosystem all.zip), Alpine
secdb (secdb.alpinelinux.org JSON, or the old alpine-secdb YAML), Node.js security WG npm
advisories. Other files are counted as skipped. Re-importing a source replaces what it gave
before. The database is built in a temporary file and renamed into place, so a failed import
leaves the previous database intact.

Examples:
  tollgate db import ./osv/go ./PyPI-all.zip https://osv-vulnerabilities.storage.googleapis.com/Alpine/all.zip
  tollgate db import --db /tmp/vuln.db ../shared/corpus/osv/go-vulndb`,
    )
    .action(async (sources: string[], options: DbOptions) => {
      const services = await ctx.services('vulnDb');
      const report = await services.vulnDb.importSources(sources, { db: options.db });
      await writeOutput(options.format === 'json' ? json(report) : renderImport(report), { output: options.output });
    });

  db.command('update')
    .description('re-fetch the configured advisory sources (else those the database was built from), conditionally, and swap in the result atomically')
    .option('--db <path>', 'database file (default: <data-dir>/vuln.db)')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .addHelpText(
      'after',
      `
Sources come from the config file's vuln.sources (each a url or a path, with an optional kind
that the source must be: osv-zip, osv-dir, osv-json, alpine-secdb, nodejs-security-wg); with
none configured, from the sources recorded in the database. Recorded sources that are not
configured are kept as they are. URL sources are requested with If-None-Match /
If-Modified-Since from the last import of the same URL; a 304 keeps their records. Any failure
(network, HTTP error, unreadable zip, wrong kind) aborts the update with VULN_FEED_FAILED and
leaves the old database untouched.

Config example:
  vuln:
    sources:
      - url: https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip
        kind: osv-zip
      - path: /srv/mirror/alpine-secdb/v3.19
        kind: alpine-secdb`,
    )
    .action(async (options: DbOptions) => {
      const services = await ctx.services('vulnDb');
      const report = await services.vulnDb.update({ db: options.db });
      await writeOutput(options.format === 'json' ? json(report) : renderImport(report), { output: options.output });
    });

  db.command('status')
    .description('show the sources, their import times and counts, and totals per ecosystem')
    .option('--db <path>', 'database file (default: <data-dir>/vuln.db)')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (options: DbOptions) => {
      const services = await ctx.services('vulnDb');
      const status = await services.vulnDb.status({ db: options.db });
      const text =
        options.format === 'json'
          ? json(status)
          : [
              `database: ${status.db} (${status.sizeBytes} bytes)`,
              renderTable(
                ['source', 'kind', 'imported', 'advisories', 'affected', 'skipped', 'etag'],
                status.sources.map((s) => [s.name, s.kind, s.importedAt, String(s.advisories), String(s.affected), String(s.skipped), s.etag ?? '-']),
                ctx.style,
              ),
              renderTable(
                ['ecosystem', 'advisories'],
                Object.entries(status.counts.byEcosystem).map(([e, n]) => [e, String(n)]),
                ctx.style,
              ),
              `advisories: ${status.counts.advisories}  affected packages: ${status.counts.affected}  ids and aliases: ${status.counts.aliases}  withdrawn: ${status.counts.withdrawn}`,
            ].join('\n');
      await writeOutput(text, { output: options.output });
    });
};
