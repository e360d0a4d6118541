/**
 * Peer runner for bench/sbom: scans an image archive through snyk-docker-plugin's JS API (the
 * plugin the Snyk CLI uses for `snyk container test`) and prints the packages it found as one JSON
 * line on standard output: {"total": n, "byEcosystem": {"deb": n, "npm": n, …}, "results": n}.
 * Static analysis only: the plugin reads `oci-archive:`/`docker-archive:` files itself, no daemon.
 *
 *   node bench/peers/snyk-docker-plugin.ts PEERS_DIR oci-archive:/path/image.tar
 *
 * PEERS_DIR is where bench/peers/install.ts installed the plugin (.cache/bench-peers).
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface DepGraphLike {
  readonly pkgManager: { readonly name: string };
  getPkgs(): ReadonlyArray<{ readonly name: string; readonly version?: string }>;
  readonly rootPkg: { readonly name: string; readonly version?: string };
}
interface SnykPlugin {
  scan(options: Record<string, unknown>): Promise<{ scanResults: Array<{ facts: Array<{ type: string; data: unknown }> }> }>;
}

const peersDir = process.argv[2];
const source = process.argv[3];
if (peersDir === undefined || source === undefined) {
  process.stderr.write('usage: snyk-docker-plugin.ts PEERS_DIR oci-archive:FILE|docker-archive:FILE\n');
  process.exit(2);
}
// The plugin is CommonJS; load it the CommonJS way, from PEERS_DIR/node_modules.
const plugin = createRequire(join(resolve(peersDir), 'package.json'))('snyk-docker-plugin') as SnykPlugin;
// Where the plugin may unpack the archive: a private temp folder, removed afterwards.
const savePath = mkdtempSync(join(tmpdir(), 'snyk-bench-'));
try {
  const response = await plugin.scan({ path: source, imageSavePath: savePath });
  const byEcosystem: Record<string, number> = {};
  let total = 0;
  for (const result of response.scanResults) {
    for (const fact of result.facts) {
      if (fact.type !== 'depGraph') continue;
      const graph = fact.data as DepGraphLike;
      const root = graph.rootPkg;
      // Every package in the graph but the graph's root (the image or the application itself).
      const count = graph.getPkgs().filter((p) => !(p.name === root.name && p.version === root.version)).length;
      byEcosystem[graph.pkgManager.name] = (byEcosystem[graph.pkgManager.name] ?? 0) + count;
      total += count;
    }
  }
  process.stdout.write(`${JSON.stringify({ total, byEcosystem, results: response.scanResults.length })}\n`);
} finally {
  rmSync(savePath, { recursive: true, force: true });
}
