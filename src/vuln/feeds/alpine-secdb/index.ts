import type { Advisory, AffectedPackage, Feed, FeedItem } from '../../advisory.ts';
import { isJsonObject } from '../../../core/json.ts';

/** "CVE-2019-14904 CVE-2019-14905" or "CVE-2019-1 (+ GHSA-…)" → the ids in it. */
function idsIn(text: string): string[] {
  return text.match(/\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}|XSA-\d+|ZBX-\d+|GO-\d{4}-\d+)\b/gi) ?? [];
}

/** Canonical spelling: CVE-… upper case, GHSA-xxxx-xxxx-xxxx lower case after the prefix. */
function canonicalId(id: string): string {
  return /^ghsa-/i.test(id) ? `GHSA-${id.slice(5).toLowerCase()}` : id.toUpperCase();
}

/**
 * Alpine secdb (secdb.alpinelinux.org/<release>/<repo>.json, or the YAML of the old
 * alpine-secdb repository): per package, fixed version → ids. Each (id, release) becomes one
 * ALPINE-<id> advisory with an ECOSYSTEM range [introduced 0, fixed V] on "Alpine:<release>".
 * A fixed version of "0" means the package was never affected; no range is emitted for it.
 */
export const alpineSecdbFeed = {
  id: 'alpine-secdb',
  accepts(doc) {
    return isJsonObject(doc) && typeof doc['distroversion'] === 'string' && Array.isArray(doc['packages']);
  },
  normalise(doc): FeedItem {
    if (!isJsonObject(doc)) return { kind: 'skipped', reason: 'not an Alpine secdb document' };
    const release = String(doc['distroversion']);
    const ecosystem = `Alpine:${release.startsWith('v') ? release : `v${release}`}`;
    const byId = new Map<string, { aliases: Set<string>; affected: AffectedPackage[] }>();
    for (const entry of Array.isArray(doc['packages']) ? doc['packages'] : []) {
      const pkg = isJsonObject(entry) && isJsonObject(entry['pkg']) ? entry['pkg'] : undefined;
      const name = pkg !== undefined && typeof pkg['name'] === 'string' ? pkg['name'] : undefined;
      const secfixes = pkg !== undefined && isJsonObject(pkg['secfixes']) ? pkg['secfixes'] : undefined;
      if (name === undefined || secfixes === undefined) continue;
      for (const [fixed, list] of Object.entries(secfixes)) {
        if (!Array.isArray(list)) continue;
        for (const item of list) {
          const ids = idsIn(String(item));
          const primary = ids[0];
          if (primary === undefined) continue;
          const id = `ALPINE-${canonicalId(primary)}`;
          const slot = byId.get(id) ?? { aliases: new Set<string>(), affected: [] };
          for (const alias of ids) slot.aliases.add(canonicalId(alias));
          if (fixed !== '0') {
            slot.affected.push({
              ecosystem,
              name,
              ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
              versions: [],
              fixed: [fixed],
              severity: [],
            });
          }
          byId.set(id, slot);
        }
      }
    }
    const advisories: Advisory[] = [...byId].map(([id, slot]) => ({
      id,
      feed: 'alpine-secdb',
      aliases: [...slot.aliases],
      related: [],
      severity: [],
      affected: slot.affected,
    }));
    return { kind: 'advisories', advisories };
  },
} as const satisfies Feed;
