/**
 * vuln-import: build the advisory database (node:sqlite) from the whole shared OSV corpus
 * (../shared/corpus/osv: Go, PyPI, AlmaLinux, Alpine secdb, npm legacy, trivy samples), in-process,
 * through the same service `tollgate db import` uses. Target: under 20 s. --smoke: go-vulndb only.
 * Matching against the imported database is bench/scan.ts (the path `tollgate scan` runs).
 */
import * as fsp from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportReport } from '../src/services/vuln-db.ts';
import { makeLocalVulnDbServices } from '../src/testing/vuln-db.ts';
import { measureFunction, repeat } from './measure.ts';
import type { Benchmark } from './types.ts';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/osv/', import.meta.url));
const FOLDERS = ['go-vulndb', 'pypa-advisory-db-json', 'almalinux', 'alpine-secdb', 'nodejs-security-wg-npm', 'trivy-db-samples'];

export const vulnImport: Benchmark = {
  name: 'vuln-import',
  description: 'advisory database import of the shared OSV corpus into node:sqlite (tollgate db import)',
  async run(ctx) {
    if (!existsSync(CORPUS)) throw new Error('corpus missing: ../shared/corpus/osv');
    const folders = (ctx.smoke ? FOLDERS.slice(0, 1) : FOLDERS).map((f) => join(CORPUS, f));
    const { services, dir, dbPath } = await makeLocalVulnDbServices('tollgate-bench-vuln-');
    let report: ImportReport | undefined;
    let importCpu = 0;
    const measurement = await repeat(ctx.repeats, () =>
      measureFunction(async () => {
        await fsp.rm(dbPath, { force: true });
        const cpu0 = process.cpuUsage();
        report = await services.importSources(folders);
        const cpu = process.cpuUsage(cpu0);
        importCpu = (cpu.user + cpu.system) / 1e6;
      }),
    );
    const status = await services.status();
    await fsp.rm(dir, { recursive: true, force: true });
    const advisories = report?.sources.reduce((sum, s) => sum + s.advisories, 0) ?? 0;
    const affected = report?.sources.reduce((sum, s) => sum + s.affected, 0) ?? 0;
    const input = ctx.smoke ? 'go-vulndb' : 'shared OSV corpus (6 folders)';
    const met = measurement.seconds < 20;
    ctx.log(`vuln-import: ${measurement.seconds.toFixed(2)} s, ${advisories} advisories, ${affected} affected entries`);
    return {
      rows: [
        {
          input,
          subject: 'tollgate db import',
          measurement,
          notes: `${advisories} advisories, ${affected} affected, ${status.counts.aliases} ids/aliases, db ${(status.sizeBytes / 1024 ** 2).toFixed(1)} MiB`,
        },
      ],
      comparisons: [],
      notes: [
        ...(report?.sources ?? []).map((s) => `  ${s.name.replace(CORPUS, '')}: ${s.advisories} advisories, ${s.affected} affected, ${s.skipped} skipped, ${s.ms} ms`),
        `import CPU time ${importCpu.toFixed(2)} s; target: whole corpus under 20 s: ${ctx.smoke ? 'n/a (smoke)' : met ? 'met' : 'NOT met'} (${measurement.seconds.toFixed(2)} s)`,
        `load average at the end: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} (figures are wall-clock; a loaded machine inflates them)`,
      ],
    };
  },
};
