import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, mountTargets, pmCall, runs, usedStages } from '../facts.ts';

export const df4003: Rule = {
  id: 'DF4003',
  slug: 'apt-lists-not-cleaned',
  defaultSeverity: 'info',
  summary: 'apt-get update without removing /var/lib/apt/lists in the same RUN leaves the package index in the layer.',
  peers: [hadolint('DL3009')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    const used = usedStages(ast);
    for (const ins of runs(ast)) {
      // ONBUILD triggers run in child images, whatever happens to this stage
      if (!ins.onbuild && ins.stage >= 0 && !used.has(ins.stage)) continue;
      const cmds = commandsOf(ins);
      const update = cmds.some((c) => /^(apt-get|apt|aptitude)$/.test(c.name) && pmCall(c, ['-o'])?.sub === 'update');
      if (!update) continue;
      const cleaned = cmds.some((c) => (c.name === 'rm' && c.args.some((a) => a.startsWith('/var/lib/apt/lists'))) || (/^apt(-get)?$/.test(c.name) && c.args.includes('dist-clean')));
      const mounts = mountTargets(ins);
      const mounted = mounts.includes('/var/lib/apt/lists') || (mounts.includes('/var/lib/apt') && mounts.includes('/var/cache/apt'));
      if (!cleaned && !mounted) hits.push({ range: ins.range, message: 'apt-get update without `rm -rf /var/lib/apt/lists/*` in the same RUN.' });
    }
    return hits;
  },
};
