import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { stageChain } from '../facts.ts';

export const df4037: Rule = {
  id: 'DF4037',
  slug: 'copy-relative-dest-without-workdir',
  defaultSeverity: 'warning',
  summary: 'COPY to a relative destination before any WORKDIR: the destination depends on the base image\'s working directory.',
  peers: [hadolint('DL3045')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'COPY' || ins.onbuild) continue;
      const args = ins.json ?? ins.words.map((w) => w.value.replace(/^["']|["']$/g, ''));
      const dest = args[args.length - 1];
      if (args.length < 2 || dest === undefined) continue;
      if (dest.startsWith('/') || dest.startsWith('$') || /^[A-Za-z]:/.test(dest)) continue;
      const chain = ins.stage >= 0 ? stageChain(ast, ins.stage) : [];
      const hasWorkdir = ins.stage < 0
        ? ast.flat.some((i) => i.stage === -1 && i.keyword === 'WORKDIR' && i.range.startLine < ins.range.startLine)
        : chain.some((s, k) => s.instructions.some((i) => i.keyword === 'WORKDIR' && (k > 0 || i.range.startLine < ins.range.startLine)));
      if (!hasWorkdir) hits.push({ range: ins.range, message: `COPY to relative ${dest} with no WORKDIR set in this stage; set WORKDIR or use an absolute path.` });
    }
    return hits;
  },
};
