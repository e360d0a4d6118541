import type { Unknown } from '../../../core/result.ts';
import type { CatalogContext, CatalogOutput } from '../../cataloguer.ts';
import { normaliseLicenses } from '../../_shared/license.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { baseName, describeError, locationOf, unknownAt } from '../../_shared/text.ts';
import type { Package, Relationship } from '../../model.ts';
import { parseJavaArchive } from './parse-archive.ts';

/** java-archive (index.ts): every archive's MANIFEST and pom.properties, nested archives as contained packages. */
export async function catalogJavaArchive(ctx: CatalogContext, id: string): Promise<CatalogOutput> {
  const packages: Package[] = [];
  const relationships: Relationship[] = [];
  const unknowns: Unknown[] = [];
  for (const file of ctx.files) {
    let bytes: Buffer;
    try {
      bytes = await ctx.tree.readFile(file.path);
    } catch (error) {
      unknowns.push(unknownAt(id, file, `unreadable java archive: ${describeError(error)}`));
      continue;
    }
    const result = parseJavaArchive(bytes, baseName(file.path));
    for (const problem of result.problems) unknowns.push(unknownAt(id, file, `java archive: ${problem}`));
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
        foundBy: id,
        metadata: { ...(a.groupId !== undefined ? { groupId: a.groupId } : {}), artifactId: a.artifactId, evidence: a.source },
      };
      packages.push(pkg);
      if (a.nestedPath === '' && outer === undefined) outer = pkg;
      else if (outer !== undefined) relationships.push({ kind: 'contains', from: outer.id, to: pkg.id });
    }
  }
  return { packages, relationships, unknowns };
}
