import type { FileEntry } from '../../../image/types.ts';
import { implementedIn } from '../../cataloguer.ts';
import { baseName } from '../../_shared/text.ts';
import { bunLock } from './bun.ts';

const implemented = implementedIn(() => import('./catalog.ts'));
const implementedLocks = implementedIn(() => import('./catalog-locks.ts'));

const INSTALLED = /\/node_modules\/(?:@[^/]+\/)?[^/.][^/]*\/package\.json$/;

function isFile(entry: FileEntry): boolean {
  return entry.type === 'file' || entry.type === 'hardlink';
}

/** Installed packages: every node_modules/<name>/package.json (nested and scoped); depends-on by Node's resolution. */
export const npmInstalled = implemented('catalogNpmInstalled', {
  id: 'npm-installed',
  version: 1,
  tags: ['language', 'installed'],
  scope: 'layer',

  wants(entry: FileEntry) {
    return isFile(entry) && entry.path.endsWith('/package.json') && INSTALLED.test(entry.path);
  },
});

const LOCK_NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);

/** Declared: package-lock.json / npm-shrinkwrap.json (v1–v3), production entries. */
export const npmPackageLock = implementedLocks('catalogNpmPackageLock', {
  id: 'npm-package-lock',
  version: 1,
  tags: ['language', 'declared'],
  scope: 'layer',

  wants(entry: FileEntry) {
    return isFile(entry) && LOCK_NAMES.has(baseName(entry.path)) && !entry.path.includes('/node_modules/');
  },
});

/** Declared: yarn.lock (classic and berry); with a package.json beside it, only what its production dependencies reach. */
export const yarnLock = implementedLocks('catalogYarnLock', {
  id: 'yarn-lock',
  version: 1,
  tags: ['language', 'declared'],
  scope: 'layer',

  wants(entry: FileEntry) {
    return isFile(entry) && baseName(entry.path) === 'yarn.lock' && !entry.path.includes('/node_modules/');
  },
});

/** Declared: pnpm-lock.yaml (lockfile v5, v6, v9), entries not marked dev. */
export const pnpmLock = implementedLocks('catalogPnpmLock', {
  id: 'pnpm-lock',
  version: 1,
  tags: ['language', 'declared'],
  scope: 'layer',

  wants(entry: FileEntry) {
    return isFile(entry) && baseName(entry.path) === 'pnpm-lock.yaml' && !entry.path.includes('/node_modules/');
  },
});

export const cataloguers = [npmInstalled, npmPackageLock, yarnLock, pnpmLock, bunLock] as const;
