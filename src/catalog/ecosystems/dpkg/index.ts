import type { FileEntry } from '../../../image/types.ts';
import { implementedIn } from '../../cataloguer.ts';
import { COPYRIGHT, INFO_LIST, STATUS_D, STATUS_FILE } from './paths.ts';

const implemented = implementedIn(() => import('./catalog.ts'));

export const dpkgStatus = implemented('catalogDpkgStatus', {
  id: 'dpkg-status',
  version: 1,
  tags: ['os', 'installed'],
  scope: 'squashed',

  wants(entry: FileEntry) {
    if (entry.type !== 'file' && entry.type !== 'hardlink' && entry.type !== 'symlink') return false;
    const path = entry.path;
    return STATUS_FILE.test(path) || STATUS_D.test(path) || INFO_LIST.test(path) || COPYRIGHT.test(path);
  },
});

export const cataloguers = [dpkgStatus] as const;
