/**
 * Python reachability against the real Debian python3-* packages of the node-app lab image.
 * Oracle: real CPython importing the same entry (sys.modules after start-up, host site folders off
 * with -S). The static walk follows every literal import, so it must be a SUPERSET of the
 * distributions CPython loaded, and a distribution nothing imports (requests) must stay out.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../../image/index.ts';
import { labRootfs } from '../../testing/lab.ts';
import { requirePeer } from '../../testing/peers.ts';
import type { ReachTree } from './os.ts';
import { pythonLoadedDistributions, type PythonReach } from './python.ts';

const SITE = '/usr/lib/python3/dist-packages';
const ENTRY = 'import urllib3\nfrom urllib3.util import retry\n';

let ours: PythonReach;
let oracle: Set<string>;
let metadataDirs: string[];

beforeAll(async () => {
  requirePeer('python3', { strict: true });
  const { rootfs } = await labRootfs('node-app');
  const site = join(rootfs, SITE);
  metadataDirs = readdirSync(site).filter((n) => /\.(dist|egg)-info$/.test(n)).map((n) => `${SITE}/${n}`);
  const { tree } = await readImage(`dir:${rootfs}`, { want: (e) => e.path.startsWith(SITE) });
  const entry = new TextEncoder().encode(ENTRY);
  const overlay: ReachTree = {
    get: (p) => (p === '/app/main.py' ? { path: p, type: 'file', mode: 0o644 } : tree.get(p)),
    resolve: (p) => (p === '/app/main.py' ? { path: p, type: 'file', mode: 0o644 } : tree.resolve(p)),
    list: (d) => tree.list(d),
    readFile: async (p) => (p === '/app/main.py' ? entry : tree.readFile(p)),
  };
  ours = await pythonLoadedDistributions(overlay, '/app/main.py', [SITE], metadataDirs);

  // Which top-level modules CPython loaded from the image's site folder.
  const script = `import sys\nsys.path.insert(0, ${JSON.stringify(site)})\n${ENTRY}import json\nprint(json.dumps(sorted({m.__name__.split('.')[0] for m in list(sys.modules.values()) if (getattr(m, '__file__', None) or '').startswith(${JSON.stringify(site)})})))`;
  const tops = JSON.parse(execFileSync('python3', ['-S', '-c', script], { encoding: 'utf8' })) as string[];
  oracle = new Set<string>();
  for (const meta of metadataDirs) {
    const file = join(rootfs, meta, 'top_level.txt');
    const declared = existsSync(file) ? readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '') : [];
    if (declared.some((t) => tops.includes(t))) oracle.add(meta);
  }
}, 600_000);

describe('pythonLoadedDistributions on the node-app lab image (oracle: CPython sys.modules)', () => {
  it('every distribution CPython loaded is reached, with an import chain', () => {
    expect(oracle.size).toBeGreaterThanOrEqual(1);
    expect([...oracle].filter((m) => !ours.loaded.has(m)).sort()).toEqual([]);
    const urllib3 = [...ours.loaded.entries()].find(([m]) => m.includes('/urllib3-'));
    expect(urllib3?.[1][0]).toBe('/app/main.py');
    process.stderr.write(`python reachability: CPython loaded ${String(oracle.size)} distributions; static walk reached ${String(ours.loaded.size)} of ${String(metadataDirs.length)} (${String(ours.files)} files)\n`);
  });

  it('a distribution nothing imports is not reached (requests: urllib3 never imports it)', () => {
    expect([...oracle].some((m) => m.includes('/requests-'))).toBe(false);
    expect([...ours.loaded.keys()].some((m) => m.includes('/requests-'))).toBe(false);
  });
});
