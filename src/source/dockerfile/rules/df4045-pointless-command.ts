import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, runs } from '../facts.ts';

const POINTLESS = new Set(['ssh', 'vim', 'shutdown', 'service', 'ps', 'free', 'top', 'kill', 'mount', 'ifconfig']);

export const df4045: Rule = {
  id: 'DF4045',
  slug: 'pointless-command',
  defaultSeverity: 'info',
  summary: 'A command that makes no sense in an image build (ssh, vim, shutdown, service, ps, free, top, kill, mount, ifconfig).',
  peers: [hadolint('DL3001')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const c = commandsOf(ins).find((x) => POINTLESS.has(x.name));
      if (c) hits.push({ range: ins.range, message: `\`${c.name}\` has no lasting effect in a build step.` });
    }
    return hits;
  },
};
