import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4023: Rule = {
  id: 'DF4023',
  slug: 'json-cmd-entrypoint',
  defaultSeverity: 'warning',
  summary: 'CMD/ENTRYPOINT in shell form run under /bin/sh -c, which does not forward signals to the process.',
  peers: [hadolint('DL3025')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT') continue;
      if (ins.json || ins.text.trim() === '') continue;
      hits.push({ range: ins.range, message: `Use the JSON (exec) form for ${ins.keyword}: ${ins.keyword} ["executable", "arg"].` });
    }
    return hits;
  },
};
