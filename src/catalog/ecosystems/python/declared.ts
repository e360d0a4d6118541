import { declaredCataloguer } from '../../_shared/declared.ts';
import { lazyModule } from '../../cataloguer.ts';

const parsers = lazyModule(() => import('./parse-locks.ts'));

/** Files named for development or tests only (requirements-dev.txt, test-requirements.txt, requirements/docs.txt). */
const DEV_ONLY = /(^|[-_./])(dev|develop|development|test|tests|testing|lint|docs?|ci)([-_.]|$)/i;

/**
 * requirements.txt, requirements-<name>.txt and requirements/<name>.txt: exactly pinned requirements.
 * Files named for development or tests are left out (trivy reads requirements.txt only).
 */
export const pythonRequirements = declaredCataloguer({
  id: 'python-requirements',
  version: 1,
  ecosystem: 'pypi',
  matches: (path, name) =>
    (/^requirements([-_.][^/]*)?\.txt$/.test(name) || (path.endsWith(`/requirements/${name}`) && name.endsWith('.txt'))) &&
    !DEV_ONLY.test(name.replace(/^requirements/, '').replace(/\.txt$/, '')),
  parser: parsers,
  parse: (p, text) => p.parseRequirements(text),
});

export const pipfileLock = declaredCataloguer({
  id: 'pipfile-lock',
  version: 1,
  ecosystem: 'pypi',
  matches: (_path, name) => name === 'Pipfile.lock',
  parser: parsers,
  parse: (p, text) => p.parsePipfileLock(text),
});

export const poetryLock = declaredCataloguer({
  id: 'poetry-lock',
  version: 1,
  ecosystem: 'pypi',
  matches: (_path, name) => name === 'poetry.lock',
  parser: parsers,
  parse: async (p, text, input) => p.parsePoetryLock(text, await input.sibling('pyproject.toml')),
});

export const uvLock = declaredCataloguer({
  id: 'uv-lock',
  version: 1,
  ecosystem: 'pypi',
  matches: (_path, name) => name === 'uv.lock',
  parser: parsers,
  parse: (p, text) => p.parseUvLock(text),
});

export const pylock = declaredCataloguer({
  id: 'pylock',
  version: 1,
  ecosystem: 'pypi',
  matches: (_path, name) => name === 'pylock.toml' || /^pylock\.[^.]+\.toml$/.test(name),
  parser: parsers,
  parse: (p, text) => p.parsePylock(text),
});

export const declaredCataloguers = [pythonRequirements, pipfileLock, poetryLock, uvLock, pylock] as const;
