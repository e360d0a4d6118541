import type { OsvEvent, OsvRange } from '../../../versioning/range.ts';
import type { Advisory, AffectedPackage, Feed, FeedItem, Severity } from '../../advisory.ts';
import { fixedVersions } from '../../advisory.ts';
import { isJsonObject } from '../../../core/json.ts';

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function severities(v: unknown, source: string): Severity[] {
  if (!Array.isArray(v)) return [];
  const out: Severity[] = [];
  for (const s of v) {
    if (isJsonObject(s) && typeof s['type'] === 'string' && typeof s['score'] === 'string') {
      out.push({ type: s['type'], score: s['score'], source });
    }
  }
  return out;
}

/** Ecosystem ratings found in ecosystem_specific / database_specific ("severity": "HIGH"). */
function wordSeverity(v: unknown, source: string): Severity[] {
  if (!isJsonObject(v)) return [];
  const s = v['severity'];
  if (typeof s === 'string' && s !== '') return [{ type: 'ecosystem', score: s, source }];
  return [];
}

function events(v: unknown): OsvEvent[] {
  if (!Array.isArray(v)) return [];
  const out: OsvEvent[] = [];
  for (const e of v) {
    if (!isJsonObject(e)) continue;
    const introduced = str(e['introduced']);
    const fixed = str(e['fixed']);
    const lastAffected = str(e['last_affected']);
    const limit = str(e['limit']);
    if (introduced !== undefined) out.push({ introduced });
    else if (fixed !== undefined) out.push({ fixed });
    else if (lastAffected !== undefined) out.push({ last_affected: lastAffected });
    else if (limit !== undefined) out.push({ limit });
  }
  return out;
}

function ranges(v: unknown): OsvRange[] {
  if (!Array.isArray(v)) return [];
  const out: OsvRange[] = [];
  for (const r of v) {
    if (isJsonObject(r) && typeof r['type'] === 'string') out.push({ type: r['type'], events: events(r['events']) });
  }
  return out;
}

const CVE_IN_URL = /\/(CVE-\d{4}-\d{4,})(?:[/.?#]|$)/;

/** Normalises one OSV record (https://ossf.github.io/osv-schema/). */
export function normaliseOsv(doc: Json, feed = 'osv'): Advisory | undefined {
  const id = str(doc['id']);
  if (id === undefined || id === '') return undefined;
  const affected: AffectedPackage[] = [];
  for (const a of Array.isArray(doc['affected']) ? doc['affected'] : []) {
    if (!isJsonObject(a) || !isJsonObject(a['package'])) continue;
    const pkg = a['package'];
    const ecosystem = str(pkg['ecosystem']);
    const name = str(pkg['name']);
    if (ecosystem === undefined || name === undefined) continue;
    const r = ranges(a['ranges']);
    affected.push({
      ecosystem,
      name,
      purl: str(pkg['purl']),
      ranges: r,
      versions: strings(a['versions']),
      fixed: fixedVersions(r),
      severity: [
        ...severities(a['severity'], 'affected'),
        ...wordSeverity(a['ecosystem_specific'], 'ecosystem_specific'),
        ...wordSeverity(a['database_specific'], 'database_specific'),
      ],
    });
  }
  const aliases = strings(doc['aliases']).filter((x) => x !== id);
  const related = new Set(strings(doc['related']));
  // Distro errata (ALSA/RHSA…) name the CVEs they fix only in their references.
  for (const ref of Array.isArray(doc['references']) ? doc['references'] : []) {
    const url = isJsonObject(ref) ? str(ref['url']) : undefined;
    const cve = url === undefined ? undefined : CVE_IN_URL.exec(url)?.[1];
    if (cve !== undefined && cve !== id && !aliases.includes(cve)) related.add(cve);
  }
  return {
    id,
    feed,
    modified: str(doc['modified']),
    published: str(doc['published']),
    withdrawn: str(doc['withdrawn']),
    summary: str(doc['summary']) ?? str(doc['details'])?.slice(0, 200),
    aliases,
    related: [...related],
    severity: [...severities(doc['severity'], 'osv'), ...wordSeverity(doc['database_specific'], 'database_specific')],
    affected,
  };
}

/** OSV JSON: one record per document, or an array of records (osv.dev's query results). */
export const osvFeed = {
  id: 'osv',
  accepts(doc) {
    const first = Array.isArray(doc) ? doc[0] : doc;
    return isJsonObject(first) && typeof first['id'] === 'string' && ('modified' in first || 'affected' in first || 'schema_version' in first);
  },
  normalise(doc): FeedItem {
    const records = Array.isArray(doc) ? doc : [doc];
    const advisories: Advisory[] = [];
    for (const r of records) {
      const a = isJsonObject(r) ? normaliseOsv(r) : undefined;
      if (a !== undefined) advisories.push(a);
    }
    return advisories.length > 0 ? { kind: 'advisories', advisories } : { kind: 'skipped', reason: 'no OSV record with an id' };
  },
} as const satisfies Feed;
