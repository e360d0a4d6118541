import type { OsvEvent, OsvRange } from '../../../versioning/range.ts';
import type { Advisory, Feed, FeedItem, Severity } from '../../advisory.ts';
import { fixedVersions } from '../../advisory.ts';
import { isJsonObject } from '../../../core/json.ts';

const COMPARATOR = /^(<=|>=|<|>|=|\^|~)?v?([0-9]+(?:\.[0-9xX*]+){0,2}(?:-[0-9A-Za-z.-]+)?|\*|x|X)$/;

function pad(v: string): string[] {
  const core = v.split('-')[0] ?? v;
  const parts = core.split('.').map((p) => (/^[0-9]+$/.test(p) ? p : '0'));
  while (parts.length < 3) parts.push('0');
  return parts;
}

/**
 * One node-semver range clause ("<1.2.3", ">=1.0.0 <1.4.2", "^2.0.0") → OSV events.
 * ">X" cannot be said exactly with OSV events; it becomes introduced X (errs towards "affected").
 * undefined when the clause is not understood (the caller then emits no range → 'unknown').
 */
export function clauseToEvents(clause: string): { events: OsvEvent[]; exact?: string } | undefined {
  const tokens = clause.replace(/(<=|>=|<|>|=|\^|~)\s+/g, '$1').trim().split(/\s+/).filter((t) => t !== '');
  if (tokens.length === 0) return { events: [{ introduced: '0' }] };
  const events: OsvEvent[] = [];
  let lower = false;
  for (const token of tokens) {
    const m = COMPARATOR.exec(token);
    if (m === null) return undefined;
    const op = m[1] ?? '';
    const version = m[2] ?? '';
    if (version === '*' || version.toLowerCase() === 'x') {
      events.push({ introduced: '0' });
      lower = true;
      continue;
    }
    const [major = '0', minor = '0', patch = '0'] = pad(version);
    const full = /[xX*]/.test(version) ? `${major}.${minor}.${patch}` : version.split('.').length < 3 ? `${major}.${minor}.${patch}` : version;
    switch (op) {
      case '>=':
      case '>':
        events.push({ introduced: full });
        lower = true;
        break;
      case '<':
        events.push({ fixed: full });
        break;
      case '<=':
        events.push({ last_affected: full });
        break;
      case '^': {
        const next = major !== '0' ? `${Number(major) + 1}.0.0` : minor !== '0' ? `0.${Number(minor) + 1}.0` : `0.0.${Number(patch) + 1}`;
        events.push({ introduced: full }, { fixed: next });
        lower = true;
        break;
      }
      case '~':
        events.push({ introduced: full }, { fixed: `${major}.${Number(minor) + 1}.0` });
        lower = true;
        break;
      default:
        if (tokens.length === 1) return { events: [], exact: full };
        return undefined;
    }
  }
  if (!lower) events.unshift({ introduced: '0' });
  return { events };
}

/** "<1.0.0 || >=2.0.0 <2.1.0" → OSV ranges and exact versions; undefined if any clause is unreadable. */
export function semverRangeToOsv(range: string): { ranges: OsvRange[]; versions: string[] } | undefined {
  const ranges: OsvRange[] = [];
  const versions: string[] = [];
  for (const clause of range.split('||')) {
    const r = clauseToEvents(clause);
    if (r === undefined) return undefined;
    if (r.exact !== undefined) versions.push(r.exact);
    else ranges.push({ type: 'SEMVER', events: r.events });
  }
  return { ranges, versions };
}

/**
 * The Node.js security WG's historic npm advisories (vuln/npm/*.json; not OSV): module_name,
 * vulnerable_versions / patched_versions as node-semver ranges, cves, cvss_vector.
 */
export const nodejsSecurityWgFeed = {
  id: 'nodejs-security-wg',
  accepts(doc) {
    return isJsonObject(doc) && typeof doc['module_name'] === 'string' && ('vulnerable_versions' in doc || 'patched_versions' in doc);
  },
  normalise(doc): FeedItem {
    if (!isJsonObject(doc) || doc['id'] === undefined) return { kind: 'skipped', reason: 'npm advisory without an id' };
    const name = String(doc['module_name']);
    const vulnerable = typeof doc['vulnerable_versions'] === 'string' ? doc['vulnerable_versions'] : '';
    const converted = vulnerable === '' ? undefined : semverRangeToOsv(vulnerable);
    const ranges = converted?.ranges ?? [];
    const cves = Array.isArray(doc['cves']) ? doc['cves'].filter((c): c is string => typeof c === 'string') : [];
    const severity: Severity[] = [];
    const vector = doc['cvss_vector'];
    if (typeof vector === 'string' && vector.startsWith('CVSS:3')) severity.push({ type: 'CVSS_V3', score: vector, source: 'nodejs-security-wg' });
    const advisory: Advisory = {
      id: `NSWG-ECO-${String(doc['id'])}`,
      feed: 'nodejs-security-wg',
      modified: typeof doc['updated_at'] === 'string' ? doc['updated_at'] : undefined,
      published: typeof doc['publish_date'] === 'string' ? doc['publish_date'] : undefined,
      summary: typeof doc['title'] === 'string' ? doc['title'] : undefined,
      aliases: cves,
      related: [],
      severity,
      affected: [{ ecosystem: 'npm', name, ranges, versions: converted?.versions ?? [], fixed: fixedVersions(ranges), severity: [] }],
    };
    return { kind: 'advisories', advisories: [advisory] };
  },
} as const satisfies Feed;
