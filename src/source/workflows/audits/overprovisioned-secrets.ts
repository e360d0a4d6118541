import type { Audit, Hit } from '../audit.ts';
import { allScalars, rangeWithin } from '../model.ts';
import { extractExpressions } from '../expressions.ts';

export const overprovisionedSecrets: Audit = {
  id: 'GH1016',
  slug: 'overprovisioned-secrets',
  defaultSeverity: 'warning',
  summary: 'toJSON(secrets) or secrets[dynamic] hands every secret to a step',
  zizmor: 'overprovisioned-secrets',
  appliesTo: ['workflow', 'action'],
  run(file) {
    const hits: Hit[] = [];
    for (const { node, text } of allScalars(file, file.doc.contents)) {
      for (const expr of extractExpressions(text)) {
        const body = expr.body.replace(/'(?:[^']|'')*'/g, "''");
        if (/\btojson\s*\(\s*secrets\s*\)/i.test(body) || /\bsecrets\s*\[\s*[^'\s]/i.test(body)) {
          hits.push({ range: rangeWithin(file, node, expr.raw), message: `${expr.raw} exposes every secret to this step; reference the secrets it needs by name` });
        }
      }
    }
    return hits;
  },
};
