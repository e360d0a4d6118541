import type { Unknown } from '../../../core/result.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { normaliseLicenses } from '../../_shared/license.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { decodeText, describeError, parentPath, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, Relationship } from '../../model.ts';
import { normalisePythonName, parseMetadata, parseRecord } from './parse-metadata.ts';
import { EGG_FILE, METADATA, OWNERSHIP } from './paths.ts';

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

/** python-installed (index.ts): dist-info METADATA / egg-info PKG-INFO, RECORD and installed-files.txt for ownership. */
export async function catalogPythonInstalled(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
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
      unknowns.push(unknownAt(id, file, `unreadable python metadata: ${describeError(error)}`));
      continue;
    }
    if (!parsed.ok) {
      unknowns.push(unknownAt(id, file, parsed.reason));
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
      foundBy: id,
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
      unknowns.push(unknownAt(id, record, `unreadable python file list: ${describeError(error)}`));
    }
  }
  return { packages, relationships, unknowns };
}
