/**
 * Writes Debian:12 OSV records derived from the current packages' changelog.Debian.gz files
 * (real Debian facts, reachable offline through apt) into a folder, one JSON file per record:
 *
 *   node tools/debian-osv.ts OUTDIR curl libssl3 libexpat1 …
 *
 * `tollgate db import OUTDIR` then loads them. Used by the demo; tests use src/testing/debian-osv.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debianOsvRecords } from '../src/testing/debian-osv.ts';

const [outDir, ...binaries] = process.argv.slice(2);
if (outDir === undefined || binaries.length === 0) {
  process.stderr.write('usage: node tools/debian-osv.ts OUTDIR PACKAGE...\n');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const { records } = await debianOsvRecords(binaries);
for (const record of records) {
  const source = record.affected[0]?.package.name ?? 'unknown';
  writeFileSync(join(outDir, `${source}-${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
}
process.stdout.write(`${String(records.length)} Debian:12 records for ${binaries.join(', ')} in ${outDir}\n`);
