import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf, SYFT } from '../../../testing/catalog-corpus.ts';
import { cataloguers } from './index.ts';
import { parseCargoLock } from './parse-cargo-lock.ts';

describe('cargo-lock', () => {
  it('trivy cargo fixture: the root crate and its non-dev closure equal what trivy lists, with depends-on', async () => {
    const catalog = await catalogTrivyRepo('cargo', cataloguers);
    const id = (name: string, version: string): string | undefined => catalog.packages.find((p) => p.name === name && p.version === version)?.id;

    expect(purlsOf(catalog)).toEqual(goldenPurls('cargo.lock.json.golden').all);
    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: id('regex', '1.7.3'), to: id('memchr', '2.7.4') });
    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: id('app', '0.1.0'), to: id('memchr', '1.0.2') });
  });

  it('without a Cargo.toml, every [[package]] the lock declares', () => {
    const text = readFileSync(join(SYFT, 'cmd/syft/internal/test/integration/testdata/image-pkg-coverage/pkgs/rust/Cargo.lock'), 'utf8');
    const declared = (text.match(/^\[\[package\]\]$/gm) ?? []).length;
    const parsed = parseCargoLock(text, undefined);

    expect(parsed.ok && parsed.entries.length).toBe(declared);
  });

  it('an unreadable lock is a failure', () => {
    expect(parseCargoLock('[[package]\n', undefined).ok).toBe(false);
  });
});
