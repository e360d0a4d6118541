import type { Unknown } from '../../../core/result.ts';
import type { FileEntry } from '../../../image/types.ts';
import type { Cataloguer } from '../../cataloguer.ts';
import { normaliseLicenses } from '../../_shared/license.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { decodeText, describeError, parentPath, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, Relationship } from '../../model.ts';
import { declaredCataloguers } from './declared.ts';
import { normalisePythonName, parseMetadata, parseRecord } from './parse-metadata.ts';

const ID = 'python-installed';
const METADATA = /\/[^/]*(?:dist-info\/METADATA|egg-info\/PKG-INFO)$/i;
const OWNERSHIP = /\/[^/]*(?:dist-info\/RECORD|egg-info\/installed-files\.txt)$/i;
const EGG_FILE = /\/[^/]+\.egg-info$/i;

/** Joins a relative path onto an absolute folder, resolving '.' and '..'. */
function joinRelative(base: string, relative: string): string {
  const parts = base.split('/').filter((p) => p !== '');
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export const pythonInstalled = {
  id: ID,
  version: 1,
  tags: ['language', 'installed'],
  scope: 'layer',

  wants(entry: FileEntry) {
    if (entry.type !== 'file' && entry.type !== 'hardlink') return false;
    return METADATA.test(entry.path) || OWNERSHIP.test(entry.path) || EGG_FILE.test(entry.path);
  },

  async catalog(ctx) {
    const packages: Package[] = [];
    const unknowns: Unknown[] = [];
    const relationships: Relationship[] = [];
    const ownership = new Map(ctx.files.filter((f) => OWNERSHIP.test(f.path)).map((f) => [parentPath(f.path), f]));
    for (const file of ctx.files) {
      if (!METADATA.test(file.path) && !EGG_FILE.test(file.path)) continue;
      let parsed;
      try {
        parsed = parseMetadata(decodeText(await ctx.tree.readFile(file.path)));
      } catch (error) {
        unknowns.push(unknownAt(ID, file, `unreadable python metadata: ${describeError(error)}`));
        continue;
      }
      if (!parsed.ok) {
        unknowns.push(unknownAt(ID, file, parsed.reason));
        continue;
      }
      const { name, version, licenses } = parsed.value;
      const pkg: Package = {
        id: `pypi:${name}@${version}:${file.path}`,
        name,
        version,
        ecosystem: 'pypi',
        purl: buildPurl('pypi', undefined, normalisePythonName(name), version),
        licenses: normaliseLicenses(licenses),
        locations: [locationOf(file)],
        foundBy: ID,
      };
      packages.push(pkg);
      const metaDir = EGG_FILE.test(file.path) ? file.path : parentPath(file.path);
      const record = ownership.get(metaDir);
      if (record === undefined) continue;
      try {
        const text = decodeText(await ctx.tree.readFile(record.path));
        // RECORD paths are relative to site-packages; installed-files.txt to the egg-info folder
        const isRecord = /\/RECORD$/i.test(record.path);
        const base = isRecord ? parentPath(metaDir) : metaDir;
        const lines = isRecord ? parseRecord(text) : text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
        for (const rel of lines) {
          const path = rel.startsWith('/') ? rel : joinRelative(base, rel);
          relationships.push({ kind: 'owns', from: pkg.id, to: path });
        }
      } catch (error) {
        unknowns.push(unknownAt(ID, record, `unreadable python file list: ${describeError(error)}`));
      }
    }
    return { packages, relationships, unknowns };
  },
} as const satisfies Cataloguer;

export const cataloguers = [pythonInstalled, ...declaredCataloguers] as const;
