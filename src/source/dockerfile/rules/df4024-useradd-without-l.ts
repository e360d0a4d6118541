import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, hasFlag, runs } from '../facts.ts';

export const df4024: Rule = {
  id: 'DF4024',
  slug: 'useradd-without-l',
  defaultSeverity: 'warning',
  summary: 'useradd with a high UID and without -l writes a huge sparse /var/log/lastlog and faillog into the layer.',
  peers: [hadolint('DL3046')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const bad = commandsOf(ins).some((c) => {
        if (c.name !== 'useradd') return false;
        if (hasFlag(c.args, 'l', ['no-log-init'])) return false;
        for (let k = 0; k < c.args.length; k++) {
          const a = c.args[k] ?? '';
          const uid = a === '-u' || a === '--uid' ? c.args[k + 1] : /^--uid=(.*)$/.exec(a)?.[1] ?? /^-u([0-9]+)$/.exec(a)?.[1];
          if (uid !== undefined && /^[0-9]{6,}$/.test(uid)) return true;
        }
        return false;
      });
      if (bad) hits.push({ range: ins.range, message: 'useradd with a high UID needs -l (--no-log-init).' });
    }
    return hits;
  },
};
