import type { Unknown } from '../../../core/result.ts';
import type { FileEntry } from '../../../image/types.ts';
import type { Cataloguer } from '../../cataloguer.ts';
import { normaliseLicenses } from '../../_shared/license.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { baseName, describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, Relationship } from '../../model.ts';
import { parseJavaArchive } from './parse-archive.ts';
import { declaredCataloguers } from './declared.ts';

const ID = 'java-archive';
const ARCHIVE = /\.(jar|war|ear|hpi|jpi|par|sar|nar|kar)$/i;
const MAX_ARCHIVE = 512 * 1024 * 1024;

export const javaArchive = {
  id: ID,
  version: 1,
  tags: ['language', 'installed'],
  scope: 'layer',

  wants(entry: FileEntry) {
    return (entry.type === 'file' || entry.type === 'hardlink') && ARCHIVE.test(entry.path) && entry.size <= MAX_ARCHIVE;
  },

  async catalog(ctx) {
    const packages: Package[] = [];
    const relationships: Relationship[] = [];
    const unknowns: Unknown[] = [];
    for (const file of ctx.files) {
      let bytes: Buffer;
      try {
        bytes = await ctx.tree.readFile(file.path);
      } catch (error) {
        unknowns.push(unknownAt(ID, file, `unreadable java archive: ${describeError(error)}`));
        continue;
      }
      const result = parseJavaArchive(bytes, baseName(file.path));
      for (const problem of result.problems) unknowns.push(unknownAt(ID, file, `java archive: ${problem}`));
      let outer: Package | undefined;
      for (const a of result.artifacts) {
        const name = a.groupId !== undefined ? `${a.groupId}:${a.artifactId}` : a.artifactId;
        const path = a.nestedPath === '' ? file.path : `${file.path}!/${a.nestedPath}`;
        const pkg: Package = {
          id: `maven:${name}@${a.version}:${path}`,
          name: a.artifactId,
          version: a.version,
          ecosystem: 'maven',
          purl: buildPurl('maven', a.groupId ?? a.artifactId, a.artifactId, a.version),
          licenses: normaliseLicenses(a.licenses),
          locations: [{ ...locationOf(file), path }],
          foundBy: ID,
          metadata: { ...(a.groupId !== undefined ? { groupId: a.groupId } : {}), artifactId: a.artifactId, evidence: a.source },
        };
        packages.push(pkg);
        if (a.nestedPath === '' && outer === undefined) outer = pkg;
        else if (outer !== undefined) relationships.push({ kind: 'contains', from: outer.id, to: pkg.id });
      }
    }
    return { packages, relationships, unknowns };
  },
} as const satisfies Cataloguer;

export const cataloguers = [javaArchive, ...declaredCataloguers] as const;
