/**
 * Peer runner for bench/scan: Renovate's offline OSV database (@renovatebot/osv-offline-db, what
 * Renovate looks vulnerabilities up in) opened and asked for every package of a list, in a fresh
 * process. It indexes `<root>/<ecosystem>.nedb` (one OSV record per line) on first use and returns
 * each package's advisories; it does no version matching (Renovate does that elsewhere), so it does
 * less than `tollgate scan` matching. Prints one JSON line: {"millis": open + lookups, "packages": n,
 * "advisories": total returned, "peakRss": bytes}.
 *
 *   node bench/peers/osv-offline.ts PEERS_DIR NEDB_ROOT PACKAGES.json
 *
 * PACKAGES.json: [[ecosystem, name], ...]. PEERS_DIR is where bench/peers/install.ts installed it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface OsvOfflineDbClass {
  rootDirectory: string;
  create(): { query(ecosystem: string, name: string): Promise<readonly unknown[]>; [Symbol.dispose](): void };
}

const [peersDir, root, listFile] = process.argv.slice(2);
if (peersDir === undefined || root === undefined || listFile === undefined) {
  process.stderr.write('usage: osv-offline.ts PEERS_DIR NEDB_ROOT PACKAGES.json\n');
  process.exit(2);
}
const entry = pathToFileURL(join(resolve(peersDir), 'node_modules/@renovatebot/osv-offline-db/dist/index.js')).href;
const { OsvOfflineDb } = (await import(entry)) as { OsvOfflineDb: OsvOfflineDbClass };
OsvOfflineDb.rootDirectory = resolve(root);
const packages = JSON.parse(readFileSync(listFile, 'utf8')) as [string, string][];
const started = performance.now();
const db = OsvOfflineDb.create();
let advisories = 0;
try {
  for (const [ecosystem, name] of packages) advisories += (await db.query(ecosystem, name)).length;
} finally {
  db[Symbol.dispose]();
}
const millis = performance.now() - started;
process.stdout.write(`${JSON.stringify({ millis, packages: packages.length, advisories, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);
