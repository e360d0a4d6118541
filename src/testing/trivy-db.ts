/**
 * trivy's integration-test vulnerability database (trivy-db bucket YAML, in
 * ../shared/corpus/trivy-integration/integration/testdata/fixtures/db) as OSV-shaped Advisories,
 * for the harness that compares our scans with trivy's golden outputs.
 *
 * Language buckets are "<eco>::<source name>" → package → advisory id → {VulnerableVersions,
 * PatchedVersions}. trivy's constraint strings ("< 3.0.0", ">= 2.0, < 2.3.1", "<=1.2 || =2.0")
 * become OSV ECOSYSTEM ranges; what cannot be expressed is returned as `unconverted` with a reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { OsvEvent, OsvRange } from '../versioning/range.ts';
import type { Advisory } from '../vuln/advisory.ts';

/** trivy bucket prefix → OSV ecosystem. */
export const TRIVY_ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: 'npm',
  pip: 'PyPI',
  go: 'Go',
  maven: 'Maven',
  composer: 'Packagist',
  cargo: 'crates.io',
  'rust': 'crates.io',
  nuget: 'NuGet',
  rubygems: 'RubyGems',
  pub: 'Pub',
  swift: 'SwiftURL',
  cocoapods: 'CocoaPods',
  conan: 'ConanCenter',
  erlang: 'Hex',
  julia: 'Julia',
  bitnami: 'Bitnami',
};

interface Pair {
  readonly bucket?: string;
  readonly key?: string;
  readonly value?: unknown;
  readonly pairs?: readonly Pair[];
}

export interface TrivyDb {
  readonly advisories: Advisory[];
  readonly unconverted: { readonly id: string; readonly pkg: string; readonly constraint: string; readonly reason: string }[];
  /** Advisory id → the constraint strings as written (for explaining differences). */
  readonly constraints: Map<string, string[]>;
}

/** One trivy constraint alternative ("> 1.0, < 2.0") → OSV events, or a reason it cannot be expressed. */
export function constraintToRange(text: string): { events: OsvEvent[] } | { versions: string[] } | { reason: string } {
  const parts = text.split(/,|\s+(?=[<>=!~^])/).map((p) => p.trim()).filter((p) => p !== '');
  let introduced: string | undefined;
  let fixed: string | undefined;
  let lastAffected: string | undefined;
  for (const part of parts) {
    const m = /^(<=|>=|<|>|==|=|!=|~>|~|\^)?\s*v?(\S+)$/.exec(part);
    if (m === null) return { reason: `unparsed constraint "${part}"` };
    const op = m[1] ?? '=';
    const v = m[2] ?? '';
    if (op === '>=') introduced = v;
    else if (op === '<') fixed = v;
    else if (op === '<=') lastAffected = v;
    else if (op === '=' || op === '==') {
      if (parts.length === 1) return { versions: [v] };
      return { reason: `"=" combined with other bounds in "${text}"` };
    } else return { reason: `operator ${op} has no OSV equivalent ("${text}")` };
  }
  const events: OsvEvent[] = [{ introduced: introduced ?? '0' }];
  if (fixed !== undefined) events.push({ fixed });
  else if (lastAffected !== undefined) events.push({ last_affected: lastAffected });
  return { events };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Reads every language bucket of the fixtures' YAML files. */
export function readTrivyDb(dir: string): TrivyDb {
  const advisories: Advisory[] = [];
  const unconverted: TrivyDb['unconverted'] = [];
  const constraints = new Map<string, string[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const doc = parseYaml(readFileSync(join(dir, file), 'utf8')) as Pair[] | null;
    for (const top of doc ?? []) {
      const bucket = top.bucket ?? '';
      const prefix = bucket.split('::')[0] ?? '';
      if (!bucket.includes('::')) continue;
      const ecosystem = TRIVY_ECOSYSTEMS[prefix];
      for (const pkg of top.pairs ?? []) {
        const name = pkg.bucket ?? '';
        for (const adv of pkg.pairs ?? []) {
          const id = adv.key ?? '';
          const value = (adv.value ?? {}) as Record<string, unknown>;
          const vulnerable = strings(value['VulnerableVersions']);
          const patched = strings(value['PatchedVersions']);
          const written = vulnerable.length > 0 ? vulnerable : patched.map((p) => `patched: ${p}`);
          constraints.set(`${ecosystem ?? prefix}|${name}|${id}`, written);
          if (ecosystem === undefined) {
            unconverted.push({ id, pkg: name, constraint: written.join(' | '), reason: `no OSV ecosystem for trivy bucket ${prefix}` });
            continue;
          }
          const ranges: OsvRange[] = [];
          const versions: string[] = [];
          const fixedList: string[] = [];
          let failed: string | undefined;
          const alternatives = vulnerable.length > 0 ? vulnerable.flatMap((v) => v.split('||')) : [];
          if (vulnerable.length === 0) {
            // Only patched versions: vulnerable below the lowest patched version.
            const lows = patched.flatMap((p) => p.split('||')).map((p) => /^\s*(?:>=|\^|~)?\s*v?(\S+?)\s*(?:,.*)?$/.exec(p)?.[1]).filter((x): x is string => x !== undefined);
            if (lows.length === 0) failed = 'no vulnerable or patched versions';
            for (const low of lows) {
              ranges.push({ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: low }] });
              fixedList.push(low);
            }
            if (lows.length > 1) failed = `several patched lines (${patched.join(' | ')}) only approximated`;
          }
          for (const alt of alternatives) {
            const r = constraintToRange(alt.trim());
            if ('reason' in r) failed = r.reason;
            else if ('versions' in r) versions.push(...r.versions);
            else {
              ranges.push({ type: 'ECOSYSTEM', events: r.events });
              for (const e of r.events) if (e.fixed !== undefined) fixedList.push(e.fixed);
            }
          }
          if (failed !== undefined) unconverted.push({ id, pkg: name, constraint: written.join(' | '), reason: failed });
          advisories.push({
            id: `${id}#${prefix}/${name}`,
            feed: 'trivy-test-db',
            aliases: [id],
            related: [],
            severity: [],
            affected: [{ ecosystem, name, ranges, versions, fixed: patched.length > 0 ? patched : fixedList, severity: [] }],
          });
        }
      }
    }
  }
  return { advisories, unconverted, constraints };
}
