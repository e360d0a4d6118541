import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, mountTargets, pmCall, runs } from '../facts.ts';

export const df4010: Rule = {
  id: 'DF4010',
  slug: 'yum-cache-not-cleaned',
  defaultSeverity: 'info',
  summary: 'yum install without `yum clean all` afterwards in the same RUN leaves the package cache in the layer.',
  peers: [hadolint('DL3032')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      if (mountTargets(ins).includes('/var/cache/yum')) continue;
      const cmds = commandsOf(ins);
      const k = cmds.findIndex((c) => c.name === 'yum' && ['install', 'groupinstall', 'localinstall', 'reinstall', 'module'].includes(pmCall(c)?.sub ?? ''));
      if (k < 0) continue;
      const cleaned = cmds.slice(k + 1).some((c) => (c.name === 'yum' && c.args[0] === 'clean' && c.args[1] === 'all') || (c.name === 'rm' && c.args.some((a) => a.startsWith('/var/cache/yum'))));
      if (!cleaned) hits.push({ range: ins.range, message: 'yum install without `yum clean all` (or rm -rf /var/cache/yum) afterwards in the same RUN.' });
    }
    return hits;
  },
};
