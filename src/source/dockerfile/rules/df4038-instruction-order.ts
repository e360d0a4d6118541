import type { Rule } from '../rule.ts';
import { hadolint } from '../rule.ts';

export const df4038: Rule = {
  id: 'DF4038',
  slug: 'instruction-order',
  defaultSeverity: 'error',
  summary: 'The first instruction must be FROM (or ARG before FROM).',
  peers: [hadolint('DL3061')],
  check({ ast }) {
    const first = ast.instructions.find((i) => i.keyword !== 'ARG');
    if (!first || first.keyword === 'FROM') return [];
    return [{ range: first.range, message: `${first.keyword} before FROM; a Dockerfile must start with FROM (ARG may precede it).` }];
  },
};
