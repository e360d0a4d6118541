import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4018: Rule = {
  id: 'DF4018',
  slug: 'maintainer-deprecated',
  defaultSeverity: 'info',
  summary: 'MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors.',
  peers: [hadolint('DL4000')],
  check({ ast }) {
    return ast.flat
      .filter((i) => i.keyword === 'MAINTAINER')
      .map((i): RuleHit => ({ range: i.range, message: 'MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors="…".' }));
  },
};
