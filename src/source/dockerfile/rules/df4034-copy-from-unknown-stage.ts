import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4034: Rule = {
  id: 'DF4034',
  slug: 'copy-from-unknown-stage',
  defaultSeverity: 'warning',
  summary: 'COPY --from names neither an earlier stage nor an image reference.',
  peers: [hadolint('DL3022')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'COPY') continue;
      const from = ins.flags.find((f) => f.name === 'from')?.value;
      if (!from || from.includes('$') || from.includes(':') || from.includes('/') || from.includes('@')) continue;
      const earlier = ast.stages.filter((s) => ins.stage < 0 || s.index < ins.stage);
      if (/^[0-9]+$/.test(from) && Number(from) < Math.max(ins.stage, 0)) continue;
      if (earlier.some((s) => s.from.alias?.toLowerCase() === from.toLowerCase())) continue;
      hits.push({ range: ins.range, message: `COPY --from=${from} does not name an earlier stage.` });
    }
    return hits;
  },
};
