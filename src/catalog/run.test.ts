import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import { inlineTree } from './_shared/test-tree.ts';
import type { CatalogOutput, Cataloguer } from './cataloguer.ts';
import { CATALOGUERS } from './registry.ts';
import { makeWantFilter, runCatalog, type CatalogCache } from './run.ts';

function memoryCache(): CatalogCache & { store: Map<string, CatalogOutput> } {
  const store = new Map<string, CatalogOutput>();
  return { store, get: async (k) => store.get(k), put: async (k, v) => void store.set(k, v) };
}

const FILES = {
  '/app/node_modules/a/package.json': { content: JSON.stringify({ name: 'a', version: '1.0.0' }), layer: 'sha256:base' },
  '/app/node_modules/b/package.json': { content: JSON.stringify({ name: 'b', version: '2.0.0' }), layer: 'sha256:top' },
};

describe('catalog/run', () => {
  it('gives the same, sorted catalogue every time', async () => {
    const a = await runCatalog({ cataloguers: CATALOGUERS, tree: inlineTree(FILES), log: silentLogger });
    const b = await runCatalog({ cataloguers: [...CATALOGUERS].reverse(), tree: inlineTree(FILES), log: silentLogger });

    expect(JSON.stringify({ ...a, stats: 0 })).toBe(JSON.stringify({ ...b, stats: 0 }));
    expect(a.relationships.filter((r) => r.kind === 'contains').map((r) => r.to)).toEqual(a.packages.map((p) => p.id));
  });

  it('caches layer-scoped results per layer and cataloguer version: a warm run reuses them', async () => {
    const cache = memoryCache();
    const cold = await runCatalog({ cataloguers: CATALOGUERS, tree: inlineTree(FILES), log: silentLogger, cache });
    const warm = await runCatalog({ cataloguers: CATALOGUERS, tree: inlineTree(FILES), log: silentLogger, cache });

    expect(cold.stats).toEqual({ cacheHits: 0, cacheMisses: 2 });
    expect(warm.stats).toEqual({ cacheHits: 2, cacheMisses: 0 });
    expect(warm.packages).toEqual(cold.packages);
    expect([...cache.store.keys()].every((k) => /^sha256:(base|top)\/npm-installed@1\//.test(k))).toBe(true);
  });

  it('records a cataloguer that throws as an unknown and keeps the others', async () => {
    const boom: Cataloguer = {
      id: 'boom',
      version: 1,
      tags: ['language'],
      scope: 'squashed',
      wants: () => true,
      catalog: async () => {
        throw new Error('kaput');
      },
    };
    const catalog = await runCatalog({ cataloguers: [boom, ...CATALOGUERS], tree: inlineTree(FILES), log: silentLogger });

    expect(catalog.packages).toHaveLength(2);
    expect(catalog.unknowns).toEqual([{ source: 'boom', reason: 'cataloguer failed: kaput' }]);
  });

  it('reports each entry some cataloguer was given, once, and no other', async () => {
    const tree = inlineTree({ ...FILES, '/usr/share/doc/a/README': 'text' });
    const given: string[] = [];
    const both: Cataloguer = { id: 'both', version: 1, tags: ['language'], scope: 'squashed', wants: (e) => e.path.endsWith('package.json'), catalog: async () => ({ packages: [], relationships: [], unknowns: [] }) };
    await runCatalog({ cataloguers: [both, ...CATALOGUERS], tree, log: silentLogger, onGiven: (entry) => given.push(entry.path) });

    const expected = [...tree.entries()].filter((e) => [both, ...CATALOGUERS].some((c) => c.wants(e))).map((e) => e.path);
    expect(given).toEqual(expected);
    expect(given).toEqual(['/app/node_modules/a/package.json', '/app/node_modules/b/package.json']);
  });

  it('asks the walker to keep contents only for what cataloguers read', () => {
    const want = makeWantFilter(CATALOGUERS);
    const entry = (path: string, size = 10, mode = 0o644) => ({ path, type: 'file' as const, mode, uid: 0, gid: 0, size, layer: 'l' });

    expect(want(entry('/var/lib/dpkg/status'))).toBe(true);
    expect(want(entry('/app/node_modules/x/package.json'))).toBe(true);
    expect(want(entry('/usr/share/doc/x/README'))).toBe(false);
    expect(want(entry('/var/lib/dpkg/info/x.postinst', 100, 0o755))).toBe(false);
  });
});
