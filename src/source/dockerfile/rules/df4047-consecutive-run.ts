import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4047: Rule = {
  id: 'DF4047',
  slug: 'consecutive-run',
  defaultSeverity: 'info',
  summary: 'Consecutive single-command RUN instructions with the same flags could be one layer.',
  peers: [hadolint('DL3059')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    const single = (i: (typeof ast.instructions)[number]): boolean => i.keyword === 'RUN' && i.heredocs.length === 0 && i.rawCommands.length === 1 && (i.shell?.separators.length ?? 0) === 0;
    const flags = (i: (typeof ast.instructions)[number]): string => JSON.stringify(i.flags);
    for (let k = 1; k < ast.instructions.length; k++) {
      const prev = ast.instructions[k - 1];
      const cur = ast.instructions[k];
      if (prev && cur && single(prev) && single(cur) && flags(prev) === flags(cur)) hits.push({ range: cur.range, message: 'Consecutive RUN instructions; consider joining them with &&.' });
    }
    return hits;
  },
};
