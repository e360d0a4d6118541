import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { SYFT } from '../../../testing/catalog-corpus.ts';
import { inlineTree } from '../../_shared/test-tree.ts';
import { runCatalog } from '../../run.ts';
import { cataloguers } from './index.ts';
import { parseGemfileLock, parseGemspec } from './parse-gemfile-lock.ts';

const LOCK = join(SYFT, 'cmd/syft/internal/test/integration/testdata/image-pkg-coverage/pkgs/ruby/Gemfile.lock');

describe('gemfile-lock', () => {
  it('syft fixture: every 4-space spec line of the PATH, GIT and GEM sections (not of a section without specs:)', () => {
    const text = readFileSync(LOCK, 'utf8');
    const specLines = text.split('\n').filter((l) => /^ {4}\S+ \(.+\)$/.test(l));
    const parsed = parseGemfileLock(text);

    // the fixture's BAD-SECTION has no `specs:` line, so its one entry is not a gem
    expect(specLines).toContain('    bad-entry (5.5.5)');
    expect(parsed.ok && parsed.entries.length).toBe(specLines.length - 1);
    expect(parsed.ok && parsed.entries.some((e) => e.name === 'bad-entry')).toBe(false);
    expect(parsed.ok && parsed.entries.map((e) => `${e.name}@${e.version}`)).toEqual(expect.arrayContaining(['google-cloud-errors@1.3.0', 'turbolinks@3.0.0', 'actionmailer@4.1.1']));
  });

  it('depends-on from the dependency lines; platform suffix dropped', async () => {
    const lock = 'GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.10-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.6.2)\n\nPLATFORMS\n  x86_64-linux\n';
    const catalog = await runCatalog({ cataloguers, tree: inlineTree({ '/app/Gemfile.lock': lock }), log: silentLogger });
    const id = (name: string): string | undefined => catalog.packages.find((p) => p.name === name)?.id;

    expect(catalog.packages.map((p) => p.purl)).toEqual(['pkg:gem/nokogiri@1.13.10', 'pkg:gem/racc@1.6.2']);
    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: id('nokogiri'), to: id('racc') });
  });

  it('installed gemspec stubs (syft fixture): name, version, licences; without them an Unknown', async () => {
    const dir = join(SYFT, 'cmd/syft/internal/test/integration/testdata/image-pkg-coverage/pkgs/ruby/specifications');
    const catalog = await runCatalog({
      cataloguers,
      tree: inlineTree({
        '/usr/lib/ruby/gems/3.1.0/specifications/bundler.gemspec': readFileSync(join(dir, 'bundler.gemspec')),
        '/usr/lib/ruby/gems/3.1.0/specifications/default/unbundler.gemspec': readFileSync(join(dir, 'default/unbundler.gemspec')),
        '/usr/lib/ruby/gems/3.1.0/specifications/broken.gemspec': 'Gem::Specification.new do |s|\nend\n',
      }),
      log: silentLogger,
    });

    expect(catalog.packages.map((p) => `${p.name}@${p.version}`)).toEqual(['bundler@2.1.4', 'unbundler@3.1.4']);
    expect(catalog.packages[0]?.licenses).toEqual(['MIT']);
    expect(catalog.unknowns.map((u) => u.path)).toEqual(['/usr/lib/ruby/gems/3.1.0/specifications/broken.gemspec']);
    expect(parseGemspec('s.name = "x"').ok).toBe(false);
  });
});
