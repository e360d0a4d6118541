import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df3005: Rule = {
  id: 'DF3005',
  slug: 'multiple-healthcheck',
  defaultSeverity: 'warning',
  summary: 'More than one HEALTHCHECK in a stage; only the last one takes effect.',
  peers: [hadolint('DL3012')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    const seen = new Set<number>();
    for (const ins of ast.instructions) {
      if (ins.keyword !== 'HEALTHCHECK') continue;
      if (seen.has(ins.stage)) hits.push({ range: ins.range, message: 'A second HEALTHCHECK in this stage overrides the first; keep one.' });
      seen.add(ins.stage);
    }
    return hits;
  },
};
