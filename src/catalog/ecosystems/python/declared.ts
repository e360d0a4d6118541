import { declaredCataloguer } from '../../_shared/declared.ts';
import { parsePipfileLock, parsePoetryLock, parsePylock, parseRequirements, parseUvLock } from './parse-locks.ts';

/** requirements*.txt: exactly pinned requirements. */
export const pythonRequirements = declaredCataloguer({
  id: 'python-requirements',
  version: 1,
  ecosystem: 'pypi',
  matches: (_path, name) => /^requirements.*\.txt$/.test(name),
  parse: (text) => parseRequirements(text),
});

export const pipfileLock = declaredCataloguer({
  id: 'pipfile-lock',
  version: 1,
  ecosystem: 'pypi',
  matches: (_path, name) => name === 'Pipfile.lock',
  parse: (text) => parsePipfileLock(text),
});

export const poetryLock = declaredCataloguer({
  id: 'poetry-lock',
  version: 1,
  ecosystem: 'pypi',
  matches: (_path, name) => name === 'poetry.lock',
  parse: async (text, input) => parsePoetryLock(text, await input.sibling('pyproject.toml')),
});

export const uvLock = declaredCataloguer({
  id: 'uv-lock',
  version: 1,
  ecosystem: 'pypi',
  matches: (_path, name) => name === 'uv.lock',
  parse: (text) => parseUvLock(text),
});

export const pylock = declaredCataloguer({
  id: 'pylock',
  version: 1,
  ecosystem: 'pypi',
  matches: (_path, name) => name === 'pylock.toml' || /^pylock\.[^.]+\.toml$/.test(name),
  parse: (text) => parsePylock(text),
});

export const declaredCataloguers = [pythonRequirements, pipfileLock, poetryLock, uvLock, pylock] as const;
