import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { rawCommandsOf, runs } from '../facts.ts';

export const df4015: Rule = {
  id: 'DF4015',
  slug: 'sudo',
  defaultSeverity: 'warning',
  summary: 'sudo in a RUN: builds already run as the current USER; use USER (or gosu/su-exec at runtime).',
  peers: [hadolint('DL3004')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      if (rawCommandsOf(ins).some((c) => c.name === 'sudo')) hits.push({ range: ins.range, message: 'Do not use sudo in RUN; switch USER instead.' });
    }
    return hits;
  },
};
