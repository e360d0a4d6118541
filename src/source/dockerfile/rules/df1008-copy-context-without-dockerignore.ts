import type { Rule, RuleHit } from '../rule.ts';

export const df1008: Rule = {
  id: 'DF1008',
  slug: 'copy-context-without-dockerignore',
  defaultSeverity: 'warning',
  summary: 'COPY/ADD of the whole build context (COPY . .) with no .dockerignore: .git, .env files and credentials end up in the image.',
  peers: [],
  check({ ast, hasDockerignore }) {
    if (hasDockerignore !== 'no') return [];
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      if (ins.flags.some((f) => f.name === 'from')) continue;
      const sources = (ins.json ?? ins.words.map((w) => w.value.replace(/^["']|["']$/g, ''))).slice(0, -1);
      if (sources.some((s) => s === '.' || s === './' || s === '*' || s === './*')) {
        hits.push({ range: ins.range, message: `${ins.keyword} copies the whole build context and there is no .dockerignore; add one (exclude .git, .env, keys) or copy only what the build needs.` });
      }
    }
    return hits;
  },
};
