import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|gz|bz2|xz|zst|lz|lzma|tz)$/i;

export const df4026: Rule = {
  id: 'DF4026',
  slug: 'add-local-file',
  defaultSeverity: 'warning',
  summary: 'ADD of a local file that is not an archive: COPY is explicit and has no surprises (no URL fetching, no extraction).',
  peers: [hadolint('DL3020')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'ADD' || ins.heredocs.length > 0) continue;
      const sources = (ins.json ?? ins.words.map((w) => w.value.replace(/^["']|["']$/g, ''))).slice(0, -1);
      if (sources.length === 0) continue;
      const local = sources.filter((s) => !/^[a-z]+:\/\//i.test(s) && !/^git@/.test(s) && !ARCHIVE.test(s) && !s.includes('$'));
      if (local.length > 0) hits.push({ range: ins.range, message: `Use COPY instead of ADD for ${local.join(', ')}.` });
    }
    return hits;
  },
};
