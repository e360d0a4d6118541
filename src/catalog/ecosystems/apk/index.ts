import type { FileEntry } from '../../../image/types.ts';
import { implementedIn } from '../../cataloguer.ts';

const implemented = implementedIn(() => import('./catalog.ts'));

export const apkDb = implemented('catalogApkDb', {
  id: 'apk-db',
  version: 1,
  tags: ['os', 'installed'],
  scope: 'squashed',

  wants(entry: FileEntry) {
    return entry.path.endsWith('/lib/apk/db/installed') && entry.type !== 'dir';
  },
});

export const cataloguers = [apkDb] as const;
