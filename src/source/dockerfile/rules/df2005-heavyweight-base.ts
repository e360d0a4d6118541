import type { Rule, RuleHit } from '../rule.ts';
import { shippedStages } from '../facts.ts';

/** Full distribution images (and their -slim variants) that ship a shell, a package manager and hundreds of packages. */
const HEAVY = new Set(['ubuntu', 'debian', 'centos', 'fedora', 'amazonlinux', 'oraclelinux', 'rockylinux', 'almalinux', 'opensuse', 'archlinux', 'buildpack-deps']);
const SDK_TAG = /(?:^|-)(?:sdk|jdk|devel|dev|full|buster|bullseye|bookworm|trixie|stretch|jessie|focal|jammy|noble|bionic)(?:$|-)/;
const LANGUAGE = new Set(['node', 'python', 'golang', 'ruby', 'openjdk', 'maven', 'gradle', 'php', 'rust', 'perl', 'eclipse-temurin']);

export const df2005: Rule = {
  id: 'DF2005',
  slug: 'heavyweight-base',
  defaultSeverity: 'info',
  summary: 'The final image is built on a full distribution or SDK image; a minimal base (distroless, Chainguard/Wolfi, Alpine, UBI-minimal, scratch) has far less attack surface.',
  peers: [],
  check({ ast }) {
    const last = ast.stages[ast.stages.length - 1];
    if (!last) return [];
    const hits: RuleHit[] = [];
    for (const idx of shippedStages(ast)) {
      const s = ast.stages[idx];
      const ref = s?.from.ref;
      if (!s || !ref) continue;
      const name = ref.name.toLowerCase();
      const tag = (ref.tag ?? 'latest').toLowerCase();
      const heavy = HEAVY.has(name) || (LANGUAGE.has(name) && (tag === 'latest' || /^[0-9.]+$/.test(tag) || SDK_TAG.test(tag)) && !/alpine|slim|distroless|minimal|chainguard|wolfi/.test(tag));
      if (!heavy) continue;
      const hint = LANGUAGE.has(name)
        ? `build in this image and copy the result into gcr.io/distroless/* or cgr.dev/chainguard/${name === 'golang' ? 'static' : name} (or the -alpine/-slim variant)`
        : 'consider gcr.io/distroless/static or base-debian12, cgr.dev/chainguard/wolfi-base, alpine, or registry.access.redhat.com/ubi9/ubi-minimal';
      hits.push({ range: s.fromInstruction.range, message: `The shipped image is based on ${s.from.image}, a full distribution image; ${hint}.` });
    }
    return hits;
  },
};
