import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

function multiple(keyword: string): (ast: Parameters<Rule['check']>[0]['ast']) => RuleHit[] {
  return (ast) => {
    const hits: RuleHit[] = [];
    const seen = new Set<number>();
    for (const ins of ast.instructions) {
      if (ins.keyword !== keyword) continue;
      if (seen.has(ins.stage)) hits.push({ range: ins.range, message: `Multiple ${keyword} instructions in one stage; only the last takes effect.` });
      seen.add(ins.stage);
    }
    return hits;
  };
}

export const df4019: Rule = {
  id: 'DF4019',
  slug: 'multiple-cmd',
  defaultSeverity: 'warning',
  summary: 'More than one CMD in a stage; only the last takes effect.',
  peers: [hadolint('DL4003')],
  check: ({ ast }) => multiple('CMD')(ast),
};
