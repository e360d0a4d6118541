import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4033: Rule = {
  id: 'DF4033',
  slug: 'copy-multiple-sources-dest',
  defaultSeverity: 'error',
  summary: 'COPY with several sources needs a destination directory ending in /.',
  peers: [hadolint('DL3021')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'COPY' || ins.heredocs.length > 0) continue;
      const args = ins.json ?? ins.words.map((w) => w.value.replace(/^["']|["']$/g, ''));
      const dest = args[args.length - 1];
      if (args.length > 2 && dest !== undefined && !dest.endsWith('/') && !dest.includes('$')) hits.push({ range: ins.range, message: `COPY with ${args.length - 1} sources: end the destination with / (${dest}/).` });
    }
    return hits;
  },
};
