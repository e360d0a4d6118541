/**
 * vuln-import: build the advisory database (node:sqlite) from the whole shared OSV corpus
 * (../shared/corpus/osv: Go, PyPI, AlmaLinux, Alpine secdb, npm legacy, trivy samples), in-process,
 * through the same service `tollgate db import` uses. Target: under 20 s. --smoke: go-vulndb only.
 * Then matching: 2,000 distinct packages (spread over every package the database knows, at and
 * just below their fixed versions) looked up and evaluated against the freshly opened database,
 * first pass (cold caches of the open database). Target: under 200 ms.
 */
import * as fsp from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportReport } from '../src/services/vuln-db.ts';
import { DatabaseSync } from 'node:sqlite';
import { makeLocalVulnDbServices } from '../src/testing/vuln-db.ts';
import { matchPackage, type PackageQuery } from '../src/vuln/match-package.ts';
import { unpackAffected, type PackedAffected } from '../src/vuln/advisory.ts';
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

    // Matching: sample 2,000 (ecosystem, name, version) from the database itself.
    const sampler = new DatabaseSync(dbPath, { readOnly: true });
    // 2,000 distinct packages spread evenly over every (ecosystem, name) the database knows.
    const distinct = sampler
      // data is the packed entry: [pk, ecosystem, name, ...]
      .prepare("SELECT MIN(json_extract(data, '$[1]')) AS ecosystem, MIN(json_extract(data, '$[2]')) AS name, MIN(data) AS data FROM affected GROUP BY base, key ORDER BY base, key")
      .all() as unknown as { ecosystem: string; name: string; data: string }[];
    sampler.close();
    const wanted = Math.min(2000, distinct.length);
    const rows = Array.from({ length: wanted }, (_, i) => distinct[Math.floor((i * distinct.length) / wanted)]).filter((r) => r !== undefined);
    const queries: PackageQuery[] = rows.map((r, i) => {
      // affected.data holds the entry packed (PackedAffected); unpackAffected gives the OSV form.
      const fixed = unpackAffected(JSON.parse(r.data) as PackedAffected).fixed[0] ?? '1.0.0';
      // Half at the fixed version, half one step below it (so both "no" and "yes" answers occur).
      return { ecosystem: r.ecosystem, name: r.name, version: i % 2 === 0 ? fixed : fixed.replace(/[1-9][0-9]*(?=[^0-9]*$)/, (d) => String(Number(d) - 1)) };
    });
    if (new Set(queries.map((q) => q.version)).size < queries.length / 10) throw new Error('bench/vuln-import: the sampled versions are degenerate (is affected.data read right?)');
    let findings = 0;
    let yes = 0;
    let openSeconds = 0;
    let matchCpu = 0;
    const matching = await repeat(ctx.repeats, async () => {
      const t0 = performance.now();
      const db = services.open();
      openSeconds = (performance.now() - t0) / 1000;
      const cpu0 = process.cpuUsage();
      const m = await measureFunction(async () => {
        findings = 0;
        yes = 0;
        for (const q of queries) {
          for (const match of matchPackage(q, db.advisoriesFor(q.ecosystem, q.name))) {
            findings++;
            if (match.affected === 'yes') yes++;
          }
        }
      });
      const cpu = process.cpuUsage(cpu0);
      matchCpu = (cpu.user + cpu.system) / 1e6;
      db.close();
      return m;
    });
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
        `matching: ${queries.length} packages in ${(matching.seconds * 1000).toFixed(0)} ms after open (CPU ${(matchCpu * 1000).toFixed(0)} ms; open ${(openSeconds * 1000).toFixed(1)} ms): ${findings} findings, ${yes} affected=yes; target under 200 ms: ${ctx.smoke ? 'n/a (smoke)' : matching.seconds < 0.2 ? 'met' : 'NOT met'}`,
        ...(report?.sources ?? []).map((s) => `  ${s.name.replace(CORPUS, '')}: ${s.advisories} advisories, ${s.affected} affected, ${s.skipped} skipped, ${s.ms} ms`),
        `import CPU time ${importCpu.toFixed(2)} s; target: whole corpus under 20 s: ${ctx.smoke ? 'n/a (smoke)' : met ? 'met' : 'NOT met'} (${measurement.seconds.toFixed(2)} s)`,
        `load average at the end: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} (figures are wall-clock; a loaded machine inflates them)`,
      ],
    };
  },
};
