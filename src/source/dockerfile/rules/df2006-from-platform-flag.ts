import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df2006: Rule = {
  id: 'DF2006',
  slug: 'from-platform-flag',
  defaultSeverity: 'info',
  summary: 'FROM --platform with a fixed platform makes the build non-portable (variables like $BUILDPLATFORM are fine).',
  peers: [hadolint('DL3029')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const s of ast.stages) {
      const p = s.from.platform;
      if (p && !p.includes('$')) hits.push({ range: s.fromInstruction.range, message: `FROM --platform=${p} pins the platform; use $BUILDPLATFORM/$TARGETPLATFORM or drop it.` });
    }
    return hits;
  },
};
