import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf } from '../../../testing/catalog-corpus.ts';
import { bunLock } from './bun.ts';
import { parseBunLock, stripTrailingCommas } from './parse-bun-lock.ts';

describe('bun-lock', () => {
  it('trivy bun fixture: production closure (devDependencies left out) equals what trivy lists', async () => {
    const catalog = await catalogTrivyRepo('bun', [bunLock]);

    expect(purlsOf(catalog)).toEqual(goldenPurls('bun.json.golden').all);
  });

  it('trailing commas outside strings only; nested keys resolve innermost first', () => {
    expect(stripTrailingCommas('{"a": ",}", "b": [1,2,],}')).toBe('{"a": ",}", "b": [1,2]}');
    const parsed = parseBunLock(JSON.stringify({
      workspaces: { '': { dependencies: { a: '1' } } },
      packages: { a: ['a@1.0.0', '', { dependencies: { b: '2' } }, 'x'], b: ['b@1.0.0', '', {}, 'x'], 'a/b': ['b@2.0.0', '', {}, 'x'] },
    }));

    expect(parsed.ok && parsed.entries.map((e) => `${e.name}@${e.version}`).sort()).toEqual(['a@1.0.0', 'b@2.0.0']);
    expect(parseBunLock('{').ok).toBe(false);
  });
});
