import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, mountTargets, positionals, runs } from '../facts.ts';

export const df4041: Rule = {
  id: 'DF4041',
  slug: 'zypper-cache-not-cleaned',
  defaultSeverity: 'info',
  summary: 'zypper install without `zypper clean` afterwards in the same RUN leaves the package cache in the layer.',
  peers: [hadolint('DL3036')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      if (mountTargets(ins).includes('/var/cache/zypp')) continue;
      const cmds = commandsOf(ins);
      const k = cmds.findIndex((c) => c.name === 'zypper' && ['install', 'in'].includes(positionals(c.args)[0] ?? ''));
      if (k < 0) continue;
      const cleaned = cmds.slice(k + 1).some((c) => (c.name === 'zypper' && ['clean', 'cc'].includes(positionals(c.args)[0] ?? '')) || (c.name === 'rm' && c.args.some((a) => a.startsWith('/var/cache/zypp'))));
      if (!cleaned) hits.push({ range: ins.range, message: 'zypper install without `zypper clean` afterwards in the same RUN.' });
    }
    return hits;
  },
};
