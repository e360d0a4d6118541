import type { FileEntry } from '../../../image/types.ts';
import { implementedIn } from '../../cataloguer.ts';
import { declaredCataloguers } from './declared.ts';
import { EGG_FILE, METADATA, OWNERSHIP } from './paths.ts';

const implemented = implementedIn(() => import('./catalog.ts'));

export const pythonInstalled = implemented('catalogPythonInstalled', {
  id: 'python-installed',
  version: 1,
  tags: ['language', 'installed'],
  scope: 'layer',

  wants(entry: FileEntry) {
    if (entry.type !== 'file' && entry.type !== 'hardlink') return false;
    return METADATA.test(entry.path) || OWNERSHIP.test(entry.path) || EGG_FILE.test(entry.path);
  },
});

export const cataloguers = [pythonInstalled, ...declaredCataloguers] as const;
