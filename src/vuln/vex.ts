/**
 * VEX (pure): read OpenVEX (v0.2.0) and CycloneDX VEX documents into statements and apply them to
 * findings (suppressions are shown, not silently dropped). Writing OpenVEX is src/trust's
 * openVexDocument (used by the scan service for --vex-out).
 */
import { isJsonObject } from '../core/json.ts';

export interface VexStatement {
  /** The vulnerability id and its aliases as the document names them. */
  readonly ids: readonly string[];
  /** purls or bom-refs of the products/subcomponents it is about; empty = any product. */
  readonly products: readonly string[];
  readonly status: 'not_affected' | 'fixed' | 'affected' | 'under_investigation' | 'false_positive' | 'resolved';
  readonly justification?: string;
  readonly detail?: string;
  /** Where the statement came from (file name, format). */
  readonly origin: string;
}

export interface VexTarget {
  readonly ids: readonly string[];
  readonly purl: string;
  readonly packageId: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Strips qualifiers and subpath so `pkg:deb/debian/curl@7.88?arch=amd64` matches `pkg:deb/debian/curl@7.88`. */
export function purlCore(purl: string): string {
  return purl.split('#')[0]?.split('?')[0] ?? purl;
}

/** Reads one VEX document (OpenVEX or CycloneDX with vulnerabilities[].analysis). undefined when neither. */
export function parseVex(doc: unknown, origin: string): VexStatement[] | undefined {
  if (!isJsonObject(doc)) return undefined;
  const context = str(doc['@context']);
  if (context?.startsWith('https://openvex.dev/ns') === true && Array.isArray(doc['statements'])) {
    const out: VexStatement[] = [];
    for (const s of doc['statements']) {
      if (!isJsonObject(s)) continue;
      const v = s['vulnerability'];
      const ids: string[] = [];
      if (typeof v === 'string') ids.push(v);
      else if (isJsonObject(v)) {
        const name = str(v['name']) ?? str(v['@id']);
        if (name !== undefined) ids.push(name);
        if (Array.isArray(v['aliases'])) for (const a of v['aliases']) if (typeof a === 'string') ids.push(a);
      }
      const products: string[] = [];
      for (const p of Array.isArray(s['products']) ? s['products'] : []) {
        if (typeof p === 'string') products.push(p);
        else if (isJsonObject(p)) {
          const subs = Array.isArray(p['subcomponents']) ? p['subcomponents'] : [];
          const subIds = subs.map((c) => (isJsonObject(c) ? str(c['@id']) ?? str(isJsonObject(c['identifiers']) ? c['identifiers']['purl'] : undefined) : str(c))).filter((x): x is string => x !== undefined);
          if (subIds.length > 0) products.push(...subIds);
          else {
            const id = str(p['@id']) ?? str(isJsonObject(p['identifiers']) ? p['identifiers']['purl'] : undefined);
            if (id !== undefined) products.push(id);
          }
        }
      }
      const status = str(s['status']);
      if (ids.length === 0 || (status !== 'not_affected' && status !== 'fixed' && status !== 'affected' && status !== 'under_investigation')) continue;
      const justification = str(s['justification']);
      const detail = str(s['impact_statement']) ?? str(s['status_notes']);
      out.push({ ids, products, status, origin: `${origin} (OpenVEX)`, ...(justification !== undefined ? { justification } : {}), ...(detail !== undefined ? { detail } : {}) });
    }
    return out;
  }
  if (doc['bomFormat'] === 'CycloneDX' && Array.isArray(doc['vulnerabilities'])) {
    const refs = new Map<string, string>();
    for (const c of Array.isArray(doc['components']) ? doc['components'] : []) {
      if (isJsonObject(c) && typeof c['bom-ref'] === 'string' && typeof c['purl'] === 'string') refs.set(c['bom-ref'], c['purl']);
    }
    const out: VexStatement[] = [];
    for (const v of doc['vulnerabilities']) {
      if (!isJsonObject(v)) continue;
      const id = str(v['id']);
      const analysis = isJsonObject(v['analysis']) ? v['analysis'] : undefined;
      const state = str(analysis?.['state']);
      if (id === undefined || state === undefined) continue;
      const ids = [id];
      for (const r of Array.isArray(v['references']) ? v['references'] : []) if (isJsonObject(r) && typeof r['id'] === 'string') ids.push(r['id']);
      const products = (Array.isArray(v['affects']) ? v['affects'] : [])
        .map((a) => (isJsonObject(a) ? str(a['ref']) : undefined))
        .filter((x): x is string => x !== undefined)
        .map((ref) => refs.get(ref) ?? ref);
      const status: VexStatement['status'] =
        state === 'not_affected' ? 'not_affected' : state === 'false_positive' ? 'false_positive' : state === 'resolved' || state === 'resolved_with_pedigree' ? 'resolved' : state === 'exploitable' ? 'affected' : 'under_investigation';
      const justification = str(analysis?.['justification']);
      const detail = str(analysis?.['detail']);
      out.push({ ids, products, status, origin: `${origin} (CycloneDX VEX)`, ...(justification !== undefined ? { justification } : {}), ...(detail !== undefined ? { detail } : {}) });
    }
    return out;
  }
  return undefined;
}

const SUPPRESSING = new Set<VexStatement['status']>(['not_affected', 'fixed', 'false_positive', 'resolved']);

/** The first statement that suppresses this finding, if any. */
export function suppressingStatement(target: VexTarget, statements: readonly VexStatement[]): VexStatement | undefined {
  const ids = new Set(target.ids);
  const purl = purlCore(target.purl);
  return statements.find(
    (s) =>
      SUPPRESSING.has(s.status) &&
      s.ids.some((id) => ids.has(id)) &&
      (s.products.length === 0 || s.products.some((p) => p === target.packageId || (purl !== '' && purlCore(p) === purl))),
  );
}
