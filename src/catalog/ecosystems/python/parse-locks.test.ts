import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogTrivyRepo, goldenPurls, purlsOf, SYFT } from '../../../testing/catalog-corpus.ts';
import { declaredCataloguers } from './declared.ts';
import { parsePipfileLock, parsePoetryLock, parseRequirements, parseUvLock } from './parse-locks.ts';

const PY = join(SYFT, 'syft/pkg/cataloger/python/testdata');
const read = (p: string): string => readFileSync(join(PY, p), 'utf8');
const pairs = (r: ReturnType<typeof parseRequirements>): string[] => (r.ok ? r.entries.map((e) => `${e.name}@${e.version}`) : []);

describe('python lockfiles against trivy golden package lists', () => {
  it.each([
    ['pip', 'pip.json.golden'],
    ['pipenv', 'pipenv.json.golden'],
    ['poetry', 'poetry.json.golden'],
    ['uv', 'uv.json.golden'],
    ['pylock', 'pylock.json.golden'],
  ])('%s: the packages equal what trivy lists', async (repo, golden) => {
    const catalog = await catalogTrivyRepo(repo, declaredCataloguers);

    expect(purlsOf(catalog)).toEqual(goldenPurls(golden).all);
    expect(catalog.unknowns).toEqual([]);
  });

  it('poetry and uv: depends-on edges from the lockfile', async () => {
    const catalog = await catalogTrivyRepo('uv', declaredCataloguers);
    const id = (name: string): string | undefined => catalog.packages.find((p) => p.name === name)?.id;

    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: id('click'), to: id('colorama') });
    expect(catalog.relationships).toContainEqual({ kind: 'depends-on', from: id('uv-test'), to: id('werkzeug') });
  });
});

describe('python lockfile parsers on syft fixtures', () => {
  it('requirements.txt: exactly pinned lines only (extras, markers, hashes, comments, continuations; ==2.8.* is no pin)', () => {
    expect(pairs(parseRequirements(read('requires/requirements.txt')))).toEqual([
      'flask@4.0.0',
      'urllib3@1.26.20',
      'foo@1.0.0',
      'SomeProject@5.4',
      'dots-._allowed@1.0.0',
      'argh@0.26.2',
      'argh@0.26.3',
      'celery@4.4.7',
      'GithubSampleProject@3.7.1',
      'FrIeNdLy-_-bArD@1.0.0',
      'local-version@1.2.3+gcr.2',
    ]);
  });

  it('Pipfile.lock: the default section', () => {
    const text = read('pipfile-lock/Pipfile.lock');
    const doc = JSON.parse(text) as { default: Record<string, { version?: string }> };
    const declared = Object.entries(doc.default).filter(([, v]) => v.version !== undefined).map(([n, v]) => `${n}@${(v.version as string).replace(/^==/, '')}`);

    expect(pairs(parsePipfileLock(text))).toEqual(declared);
  });

  it('poetry.lock without pyproject: category "dev" entries left out', () => {
    const text = read('poetry/dev-deps/poetry.lock');
    const devCount = (text.match(/^category = "dev"$/gm) ?? []).length;
    const all = (text.match(/^\[\[package\]\]$/gm) ?? []).length;
    const parsed = parsePoetryLock(text, undefined);

    expect(parsed.ok && parsed.entries.length).toBe(all - devCount);
  });

  it('uv.lock: the project and what its dependencies reach', () => {
    const parsed = parseUvLock(read('uv/simple-deps/uv.lock'));

    expect(parsed.ok && parsed.entries.length).toBeGreaterThan(1);
  });

  it('records an unreadable lockfile', () => {
    expect(parsePoetryLock('[[package]\nname=', undefined).ok).toBe(false);
    expect(parsePipfileLock('{').ok).toBe(false);
  });
});
