import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { hostAllowed, runs } from '../facts.ts';
import { parseImageRef } from '../parse/image-ref.ts';

function allowed(registry: string, allow: readonly string[]): boolean {
  if (allow.includes('*')) return true;
  const r = registry.toLowerCase();
  const aliases = r === 'docker.io' || r === 'index.docker.io' || r === 'registry-1.docker.io' ? ['docker.io', 'index.docker.io', 'hub.docker.com'] : [r];
  return aliases.some((a) => hostAllowed(a, allow));
}

export const df2004: Rule = {
  id: 'DF2004',
  slug: 'base-registry-not-allowed',
  defaultSeverity: 'error',
  summary: 'An image (FROM, COPY --from, RUN --mount from=) comes from a registry not on the configured allowlist (off until an allowlist is set).',
  peers: [hadolint('DL3026')],
  check({ ast, options }) {
    const allow = options.allowedRegistries;
    if (allow.length === 0) return [];
    const hits: RuleHit[] = [];
    const aliases = new Set(ast.stages.map((s) => s.from.alias?.toLowerCase()).filter((a) => a !== undefined));
    const judge = (image: string, range: RuleHit['range']): void => {
      if (image === '' || image.includes('$') || image.toLowerCase() === 'scratch' || aliases.has(image.toLowerCase()) || /^[0-9]+$/.test(image)) return;
      const ref = parseImageRef(image);
      if (!allowed(ref.registry, allow)) hits.push({ range, message: `Image ${image} comes from ${ref.registry}, which is not an allowed registry (${allow.join(', ')}).` });
    };
    for (const s of ast.stages) {
      if (!s.from.scratch && s.from.stageRef === undefined && !s.from.unresolved) judge(s.from.image, s.fromInstruction.range);
    }
    for (const ins of ast.flat) {
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        const from = ins.flags.find((f) => f.name === 'from')?.value;
        if (from) judge(from, ins.range);
      }
    }
    for (const ins of runs(ast)) {
      for (const f of ins.flags) {
        if (f.name !== 'mount' || !f.value) continue;
        const from = /(?:^|,)from=([^,]+)/.exec(f.value)?.[1];
        if (from) judge(from, ins.range);
      }
    }
    return hits;
  },
};
