import type { FileEntry } from '../../../image/types.ts';
import { implementedIn } from '../../cataloguer.ts';

const implemented = implementedIn(() => import('./catalog.ts'));
const DB = /\/(?:var\/lib\/rpm|usr\/lib\/sysimage\/rpm)\/(Packages|Packages\.db|rpmdb\.sqlite)$/;

export const rpmDb = implemented('catalogRpmDb', {
  id: 'rpm-db',
  version: 1,
  tags: ['os', 'installed'],
  scope: 'squashed',

  wants(entry: FileEntry) {
    return (entry.type === 'file' || entry.type === 'hardlink') && DB.test(entry.path);
  },
});

export const cataloguers = [rpmDb] as const;
