import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

const RESERVED = new Set(['scratch', 'context']);

export const df4048: Rule = {
  id: 'DF4048',
  slug: 'reserved-stage-name',
  defaultSeverity: 'warning',
  summary: 'A stage is named with a reserved word (scratch, context), which BuildKit treats specially.',
  peers: [hadolint('DL3063')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const s of ast.stages) {
      const a = s.from.alias?.toLowerCase();
      if (a && RESERVED.has(a)) hits.push({ range: s.fromInstruction.range, message: `Stage name "${a}" is reserved; choose another.` });
    }
    return hits;
  },
};
