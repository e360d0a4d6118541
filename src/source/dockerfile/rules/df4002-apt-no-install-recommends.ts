import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { aptSimulates, commandsOf, pmCall, runs } from '../facts.ts';

export const df4002: Rule = {
  id: 'DF4002',
  slug: 'apt-no-install-recommends',
  defaultSeverity: 'info',
  summary: 'apt-get install without --no-install-recommends pulls in packages nobody asked for.',
  peers: [hadolint('DL3015')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const bad = commandsOf(ins).some((cmd) => {
        if (cmd.name !== 'apt-get') return false;
        if (pmCall(cmd, ['-o', '-t'])?.sub !== 'install' || aptSimulates(cmd.args)) return false;
        const joined = cmd.args.join(' ');
        return !cmd.args.includes('--no-install-recommends') && !/APT::Install-Recommends=(?:"?false|0)/i.test(joined);
      });
      if (bad) hits.push({ range: ins.range, message: 'apt-get install without --no-install-recommends.' });
    }
    return hits;
  },
};
