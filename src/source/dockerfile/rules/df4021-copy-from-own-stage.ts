import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4021: Rule = {
  id: 'DF4021',
  slug: 'copy-from-own-stage',
  defaultSeverity: 'error',
  summary: 'COPY --from names the stage it is in, which cannot work.',
  peers: [hadolint('DL3023')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'COPY' || ins.stage < 0) continue;
      const from = ins.flags.find((f) => f.name === 'from')?.value?.toLowerCase();
      const stage = ast.stages[ins.stage];
      if (!from || !stage) continue;
      if (from === stage.from.alias?.toLowerCase() || from === String(stage.index)) hits.push({ range: ins.range, message: `COPY --from=${from} refers to its own stage.` });
    }
    return hits;
  },
};
