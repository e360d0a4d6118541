import type { Rule, RuleHit } from '../rule.ts';

export const df1002: Rule = {
  id: 'DF1002',
  slug: 'add-from-url',
  defaultSeverity: 'warning',
  summary: 'ADD fetches a remote URL without a checksum; the content can change under the same URL.',
  peers: [],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'ADD') continue;
      if (ins.flags.some((f) => f.name === 'checksum' && f.value)) continue;
      const sources = (ins.json ?? ins.words.map((w) => w.value.replace(/^["']|["']$/g, ''))).slice(0, -1);
      const remote = sources.find((s) => /^(?:https?|ftp):\/\//i.test(s) || /^git@/.test(s));
      if (remote) {
        hits.push({ range: ins.range, message: `ADD downloads ${remote} without --checksum; use ADD --checksum=sha256:… or RUN curl with a verified checksum.` });
      }
    }
    return hits;
  },
};
