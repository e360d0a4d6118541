import type { FileEntry } from '../../../image/types.ts';
import { implementedIn } from '../../cataloguer.ts';
import { FILES } from './paths.ts';

const implemented = implementedIn(() => import('./catalog.ts'));

export const osRelease = implemented('catalogOsRelease', {
  id: 'os-release',
  version: 1,
  tags: ['os'],
  scope: 'squashed',
  identifiesDistro: true,

  wants(entry: FileEntry) {
    return FILES.includes(entry.path) && entry.type !== 'dir';
  },
});

export const cataloguers = [osRelease] as const;
