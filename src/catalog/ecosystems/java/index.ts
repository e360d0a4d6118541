import type { FileEntry } from '../../../image/types.ts';
import { implementedIn } from '../../cataloguer.ts';
import { declaredCataloguers } from './declared.ts';

const implemented = implementedIn(() => import('./catalog.ts'));
const ARCHIVE = /\.(jar|war|ear|hpi|jpi|par|sar|nar|kar)$/i;
const MAX_ARCHIVE = 512 * 1024 * 1024;

export const javaArchive = implemented('catalogJavaArchive', {
  id: 'java-archive',
  version: 1,
  tags: ['language', 'installed'],
  scope: 'layer',

  wants(entry: FileEntry) {
    return (entry.type === 'file' || entry.type === 'hardlink') && ARCHIVE.test(entry.path) && entry.size <= MAX_ARCHIVE;
  },
});

export const cataloguers = [javaArchive, ...declaredCataloguers] as const;
