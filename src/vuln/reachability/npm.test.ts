/**
 * npm reachability against the real node_modules of the node-app lab image. Oracle: real Node
 * loading the same entry script (require.cache after start-up). The static walk follows every
 * literal require, including lazy ones inside functions, so it must be a SUPERSET of what Node
 * loaded, and packages nothing requires must stay out.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../../image/index.ts';
import { labRootfs } from '../../testing/lab.ts';
import { npmLoadedPackages, type NpmReach } from './npm.ts';
import type { ReachTree } from './os.ts';

const SERVER = `'use strict';
const express = require('express');
const { codeFrameColumns } = require('@babel/code-frame');
const app = express();
app.get('/', (req, res) => res.send(codeFrameColumns('x', { start: { line: 1 } })));
module.exports = app;
`;

let tmp: string;
let ours: NpmReach;
let oracle: Set<string>;

/** ".../node_modules/a/node_modules/@s/b/lib/x.js" → "a/node_modules/@s/b". */
function packageRel(file: string): string | undefined {
  const i = file.indexOf('/node_modules/');
  if (i === -1) return undefined;
  const parts = file.slice(i + '/node_modules/'.length).split('/');
  const out: string[] = [];
  for (let k = 0; k < parts.length; ) {
    const n = parts[k]?.startsWith('@') === true ? 2 : 1;
    out.push(parts.slice(k, k + n).join('/'));
    k += n;
    if (parts[k] !== 'node_modules') break;
    k++;
  }
  return out.join('/node_modules/');
}

beforeAll(async () => {
  const { rootfs } = await labRootfs('node-app');
  const { tree } = await readImage(`dir:${join(rootfs, 'app')}`, { want: (e) => /\.(c?js|json)$/.test(e.path) });
  const server = new TextEncoder().encode(SERVER);
  const overlay: ReachTree = {
    get: (p) => (p === '/server.js' ? { path: p, type: 'file', mode: 0o644 } : tree.get(p)),
    resolve: (p) => (p === '/server.js' ? { path: p, type: 'file', mode: 0o644 } : tree.resolve(p)),
    list: (d) => tree.list(d),
    readFile: async (p) => (p === '/server.js' ? server : tree.readFile(p)),
  };
  ours = await npmLoadedPackages(overlay, '/server.js');

  tmp = mkdtempSync(join(tmpdir(), 'tollgate-npm-reach-'));
  writeFileSync(join(tmp, 'server.js'), SERVER);
  symlinkSync(join(rootfs, 'app', 'node_modules'), join(tmp, 'node_modules'));
  const out = execFileSync(process.execPath, ['--preserve-symlinks', '-e', `require(${JSON.stringify(join(tmp, 'server.js'))}); console.log(JSON.stringify(Object.keys(require.cache)))`], { encoding: 'utf8' });
  oracle = new Set((JSON.parse(out) as string[]).map(packageRel).filter((x): x is string => x !== undefined));
}, 600_000);

afterAll(() => {
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
});

describe('npmLoadedPackages on the node-app lab image (oracle: real Node require.cache)', () => {
  it('every package Node loaded is reached by the static walk, with a require chain', () => {
    const reached = new Set([...ours.loaded.keys()].map((p) => packageRel(p.replace(/\/package\.json$/, '/x')) ?? p));
    expect(oracle.size).toBeGreaterThan(20);
    expect([...oracle].filter((p) => !reached.has(p)).sort()).toEqual([]);
    process.stderr.write(`npm reachability: node loaded ${String(oracle.size)} packages at start-up; static walk reached ${String(reached.size)} (${String(ours.files)} files; ${String(ours.dynamic.length)} files with computed requires)\n`);
    const chain = ours.loaded.get('/node_modules/express/package.json');
    expect(chain?.[0]).toBe('/server.js');
  });

  it('packages nothing requires are not reached', () => {
    const reached = new Set([...ours.loaded.keys()]);
    expect(reached.has('/node_modules/lodash/package.json')).toBe(false);
    expect(reached.has('/node_modules/semver/package.json')).toBe(false);
  });
});
