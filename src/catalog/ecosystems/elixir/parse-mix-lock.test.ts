import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf, SYFT, TRIVY } from '../../../testing/catalog-corpus.ts';
import { cataloguers } from './index.ts';
import { parseMixLock, parseRebarLock } from './parse-mix-lock.ts';

describe('mix-lock', () => {
  it('trivy mixlock fixture: the packages equal what trivy lists, depends-on from non-optional requirements', async () => {
    const catalog = await catalogTrivyRepo('mixlock', cataloguers);
    const id = (name: string): string | undefined => catalog.packages.find((p) => p.name === name)?.id;

    expect(purlsOf(catalog)).toEqual(goldenPurls('mix.lock.json.golden').all);
    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: id('phoenix'), to: id('plug') });
    expect(catalog.relationships).not.toContainEqual({ kind: 'depends-on', from: id('phoenix'), to: id('jason') });
  });

  it('every :hex line of the file is one package; a file that is not a map is a failure', () => {
    const text = readFileSync(join(TRIVY, 'fixtures/repo/mixlock/mix.lock'), 'utf8');
    const parsed = parseMixLock(text);

    expect(parsed.ok && parsed.entries.length).toBe((text.match(/\{:hex,/g) ?? []).length);
    expect(parseMixLock('not a lock').ok).toBe(false);
  });

  it('rebar.lock (syft fixture): every {pkg, Name, Version} entry', () => {
    const text = readFileSync(join(SYFT, 'cmd/syft/internal/test/integration/testdata/image-pkg-coverage/pkgs/erlang/rebar.lock'), 'utf8');
    const parsed = parseRebarLock(text);

    expect(parsed.ok && parsed.entries.map((e) => e.purl)).toEqual([
      'pkg:hex/certifi@2.9.0', 'pkg:hex/idna@6.1.1', 'pkg:hex/metrics@1.0.1', 'pkg:hex/mimerl@1.2.0',
      'pkg:hex/parse_trans@3.3.1', 'pkg:hex/ssl_verify_fun@1.1.6', 'pkg:hex/unicode_util_compat@0.7.0',
    ]);
  });
});
