import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

export function isRootUser(spec: string): boolean {
  const user = (spec.split(':')[0] ?? '').replace(/^["']|["']$/g, '');
  return user === 'root' || user === '0';
}

export const df3001: Rule = {
  id: 'DF3001',
  slug: 'last-user-root',
  defaultSeverity: 'warning',
  summary: 'The last USER of the final stage is root (or 0): the container runs as root.',
  peers: [hadolint('DL3002')],
  check({ ast }) {
    const last = ast.stages[ast.stages.length - 1];
    if (!last) return [];
    const users = last.instructions.filter((i) => i.keyword === 'USER');
    const final = users[users.length - 1];
    if (final && isRootUser(final.words[0]?.value ?? '')) {
      return [{ range: final.range, message: 'The final stage switches to root last; add USER <non-root uid> after the steps that need root.' }] satisfies RuleHit[];
    }
    return [];
  },
};
