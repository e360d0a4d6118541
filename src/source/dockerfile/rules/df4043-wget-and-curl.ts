import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, runs } from '../facts.ts';

export const df4043: Rule = {
  id: 'DF4043',
  slug: 'wget-and-curl',
  defaultSeverity: 'info',
  summary: 'Both wget and curl are used; one download tool is enough (and is one less tool in the image).',
  peers: [hadolint('DL4001')],
  check({ ast }) {
    const seen = new Set<string>();
    for (const ins of runs(ast)) {
      for (const c of commandsOf(ins)) if (c.name === 'curl' || c.name === 'wget') seen.add(c.name);
      if (seen.size === 2) return [{ range: ins.range, message: 'Both wget and curl are used in this Dockerfile; pick one.' }] satisfies RuleHit[];
    }
    return [];
  },
};
