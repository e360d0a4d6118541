import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4035: Rule = {
  id: 'DF4035',
  slug: 'onbuild-forbidden-trigger',
  defaultSeverity: 'error',
  summary: 'ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER.',
  peers: [hadolint('DL3043')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.instructions) {
      const t = ins.trigger?.keyword;
      if (t === 'ONBUILD' || t === 'FROM' || t === 'MAINTAINER') hits.push({ range: ins.range, message: `ONBUILD ${t} is not allowed.` });
    }
    return hits;
  },
};
