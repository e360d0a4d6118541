import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4020: Rule = {
  id: 'DF4020',
  slug: 'multiple-entrypoint',
  defaultSeverity: 'warning',
  summary: 'More than one ENTRYPOINT in a stage; only the last takes effect.',
  peers: [hadolint('DL4004')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    const seen = new Set<number>();
    for (const ins of ast.instructions) {
      if (ins.keyword !== 'ENTRYPOINT') continue;
      if (seen.has(ins.stage)) hits.push({ range: ins.range, message: 'Multiple ENTRYPOINT instructions in one stage; only the last takes effect.' });
      seen.add(ins.stage);
    }
    return hits;
  },
};
