import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4017: Rule = {
  id: 'DF4017',
  slug: 'relative-workdir',
  defaultSeverity: 'warning',
  summary: 'WORKDIR with a relative path depends on the previous WORKDIR; use an absolute path.',
  peers: [hadolint('DL3000')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'WORKDIR') continue;
      const v = ins.text.trim().replace(/^["']|["']$/g, '');
      if (v === '' || v.startsWith('/') || v.startsWith('$') || /^[A-Za-z]:[\\/]?/.test(v)) continue;
      hits.push({ range: ins.range, message: `WORKDIR ${v} is relative; use an absolute path.` });
    }
    return hits;
  },
};
