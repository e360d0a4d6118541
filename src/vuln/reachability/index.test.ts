import { describe, expect, it } from 'vitest';
import type { Package } from '../../catalog/model.ts';
import { assessPackages, reachedInterpreters, type OsReachability } from './index.ts';

const reached = (...paths: string[]): OsReachability => ({
  status: 'resolved',
  argv: ['/app/run'],
  files: new Map(paths.map((p) => [p, { via: 'entrypoint' }])),
  notes: [],
});
const pkg = (ecosystem: Package['ecosystem'], name: string): Package => ({
  id: `${ecosystem}:${name}`, name, version: '1.0.0', ecosystem, purl: '', licenses: [], locations: [{ path: `/app/lib/${name}`, layer: 'sha256:l' }], foundBy: 'test',
});
const tree = { resolve: () => undefined };

describe('reachedInterpreters', () => {
  it('names the node and python interpreters the entry point reaches, in one pass', () => {
    expect(reachedInterpreters(reached('/bin/sh', '/usr/bin/node', '/usr/lib/x.so'))).toEqual(new Map([['npm', '/usr/bin/node']]));
    expect(reachedInterpreters(reached('/usr/bin/python3.11', '/usr/local/bin/nodejs'))).toEqual(new Map([['pypi', '/usr/bin/python3.11'], ['npm', '/usr/local/bin/nodejs']]));
    expect(reachedInterpreters(reached('/usr/bin/nodes', '/usr/bin/python-config')).size).toBe(0);
  });
});

describe('assessPackages for language packages', () => {
  it('says no when the ecosystem\'s interpreter is never reached, unknown when it is but imports were not walked', () => {
    const catalog = { packages: [pkg('npm', 'left-pad'), pkg('pypi', 'requests')], relationships: [] };
    const none = assessPackages(catalog, reached('/bin/sh'), tree);
    expect([...none.values()].map((r) => r.reachable)).toEqual(['no', 'no']);
    const node = assessPackages(catalog, reached('/bin/sh', '/usr/bin/node'), tree);
    expect(node.get('npm:left-pad')).toEqual({ reachable: 'unknown', evidence: ['/usr/bin/node is reached; imports were not analysed'] });
    expect(node.get('pypi:requests')?.reachable).toBe('no');
  });
});
