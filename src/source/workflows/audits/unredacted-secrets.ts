import type { Audit, Hit } from '../audit.ts';
import { allScalars, rangeWithin } from '../model.ts';
import { extractExpressions } from '../expressions.ts';

export const unredactedSecrets: Audit = {
  id: 'GH1017',
  slug: 'unredacted-secrets',
  defaultSeverity: 'warning',
  summary: 'fromJSON(secrets.X): fields of a structured secret are not redacted in logs',
  zizmor: 'unredacted-secrets',
  appliesTo: ['workflow', 'action'],
  run(file) {
    const hits: Hit[] = [];
    for (const { node, text } of allScalars(file, file.doc.contents)) {
      for (const expr of extractExpressions(text)) {
        if (/\bfromjson\s*\(\s*secrets\b/i.test(expr.body)) {
          hits.push({ range: rangeWithin(file, node, expr.raw), message: `${expr.raw} decodes a secret; GitHub only redacts the whole secret, not its fields` });
        }
      }
    }
    return hits;
  },
};
