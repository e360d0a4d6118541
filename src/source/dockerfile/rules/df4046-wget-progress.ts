import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, hasFlag, runs } from '../facts.ts';

export const df4046: Rule = {
  id: 'DF4046',
  slug: 'wget-progress',
  defaultSeverity: 'info',
  summary: 'wget without --progress (or -q/-nv) floods build logs with a progress bar.',
  peers: [hadolint('DL3047')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const bad = commandsOf(ins).some((c) => c.name === 'wget' && !c.args.some((a) => a.startsWith('--progress')) && !hasFlag(c.args, 'qaoO', ['quiet', 'no-verbose', 'append-output', 'output-file']) && !c.args.includes('-nv'));
      if (bad) hits.push({ range: ins.range, message: 'wget without --progress=dot:giga (or -q / -nv).' });
    }
    return hits;
  },
};
