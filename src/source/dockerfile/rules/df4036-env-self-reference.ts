import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4036: Rule = {
  id: 'DF4036',
  slug: 'env-self-reference',
  defaultSeverity: 'error',
  summary: 'An ENV refers to a variable defined in the same ENV instruction; it sees the old (often empty) value.',
  peers: [hadolint('DL3044')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    const defined = new Map<number, Set<string>>();
    for (const ins of ast.flat) {
      const scope = defined.get(ins.stage) ?? new Set<string>();
      defined.set(ins.stage, scope);
      if (ins.keyword === 'ARG') for (const p of ins.pairs) scope.add(p.name);
      if (ins.keyword !== 'ENV') continue;
      const here: string[] = [];
      for (const p of ins.pairs) {
        const refs = [...(p.value ?? '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? '');
        const bad = refs.find((r) => here.includes(r) && !scope.has(r));
        if (bad) hits.push({ range: p.range, message: `ENV ${p.name} refers to ${bad}, defined in the same ENV; split it into two ENV instructions.` });
        here.push(p.name);
      }
      for (const n of here) scope.add(n);
    }
    return hits;
  },
};
