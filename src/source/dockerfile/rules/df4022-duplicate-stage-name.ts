import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4022: Rule = {
  id: 'DF4022',
  slug: 'duplicate-stage-name',
  defaultSeverity: 'error',
  summary: 'Two stages share a name (FROM … AS name).',
  peers: [hadolint('DL3024')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    const seen = new Set<string>();
    for (const s of ast.stages) {
      const a = s.from.alias?.toLowerCase();
      if (!a) continue;
      if (seen.has(a)) hits.push({ range: s.fromInstruction.range, message: `Stage name ${a} is already used by an earlier stage.` });
      seen.add(a);
    }
    return hits;
  },
};
