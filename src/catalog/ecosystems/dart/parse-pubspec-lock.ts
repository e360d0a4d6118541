import { parse as parseYaml } from 'yaml';
import type { DeclaredEntry, DeclaredResult } from '../../_shared/declared.ts';
import { buildPurl } from '../../_shared/purl.ts';
import { isJsonObject } from '../../../core/json.ts';

/** pubspec.lock: `packages`, those marked "direct dev" left out (trivy's default); hosted url kept as a qualifier when not pub.dev. */
export function parsePubspecLock(text: string): DeclaredResult {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    return { ok: false, reason: `invalid YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isJsonObject(doc) || !isJsonObject(doc['packages'])) return { ok: false, reason: 'pubspec.lock has no packages map' };
  const entries: DeclaredEntry[] = [];
  for (const [name, raw] of Object.entries(doc['packages'])) {
    if (!isJsonObject(raw) || typeof raw['version'] !== 'string' || raw['dependency'] === 'direct dev') continue;
    const dependency = typeof raw['dependency'] === 'string' ? raw['dependency'] : 'transitive';
    entries.push({ name, version: raw['version'], purl: buildPurl('pub', undefined, name, raw['version']), metadata: { relationship: dependency === 'transitive' ? 'indirect' : 'direct' } });
  }
  return { ok: true, entries };
}
