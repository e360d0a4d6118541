import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { commandsOf, positionals, runs } from '../facts.ts';

export const df4044: Rule = {
  id: 'DF4044',
  slug: 'shell-via-symlink',
  defaultSeverity: 'warning',
  summary: 'Replacing /bin/sh with a symlink changes the shell for every later user of the image; use SHELL for the build.',
  peers: [hadolint('DL4005')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      const bad = commandsOf(ins).some((c) => {
        if (c.name !== 'ln') return false;
        const pos = positionals(c.args);
        return pos.length >= 2 && pos[pos.length - 1] === '/bin/sh';
      });
      if (bad) hits.push({ range: ins.range, message: 'Use SHELL ["/bin/bash", "-c"] instead of linking /bin/sh.' });
    }
    return hits;
  },
};
