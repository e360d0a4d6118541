import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf, SYFT } from '../../../testing/catalog-corpus.ts';
import { cataloguers } from './index.ts';
import { parseConanfileTxt, parseConanLock, parseRef } from './parse-conan-lock.ts';

describe('conan-lock', () => {
  it('trivy conan fixture (v1 graph): the packages equal what trivy lists, with depends-on', async () => {
    const catalog = await catalogTrivyRepo('conan', cataloguers);
    const id = (name: string): string | undefined => catalog.packages.find((p) => p.name === name)?.id;

    expect(purlsOf(catalog)).toEqual(goldenPurls('conan.json.golden').all);
    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: id('pcre'), to: id('zlib') });
  });

  it('v2 requires (build_requires left out) and references with user/channel/revision', () => {
    const parsed = parseConanLock(JSON.stringify({ version: '0.5', requires: ['zlib/1.3#abc%1700000000.0', 'poco/1.9.4@me/stable'], build_requires: ['cmake/3.27.0'] }));

    expect(parsed.ok && parsed.entries.map((e) => e.purl)).toEqual(['pkg:conan/zlib@1.3', 'pkg:conan/me/poco@1.9.4?channel=stable']);
    expect(parseRef('not a ref')).toBeUndefined();
    expect(parseConanLock('{').ok).toBe(false);
  });

  it('conanfile.txt (syft fixture): every [requires] reference; a range is an Unknown', () => {
    const text = readFileSync(join(SYFT, 'cmd/syft/internal/test/integration/testdata/image-pkg-coverage/conan/conanfile.txt'), 'utf8');
    const parsed = parseConanfileTxt(text);

    expect(parsed.ok && parsed.entries.map((e) => `${e.name}@${e.version}`)).toEqual(['catch2@2.13.8', 'docopt.cpp@0.6.3', 'fmt@8.1.1', 'spdlog@1.9.2', 'sdl@2.0.20', 'fltk@1.3.8']);
    const ranged = parseConanfileTxt('[requires]\nzlib/[>=1.2 <2]\n');
    expect(ranged.ok && ranged.unknowns).toHaveLength(1);
  });
});
