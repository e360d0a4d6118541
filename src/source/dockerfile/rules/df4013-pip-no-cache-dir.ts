import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';
import { envAt, mountTargets, rawCommandsOf, runs, unwrap } from '../facts.ts';

const TRUE = /^(?:1|true|yes|on)$/i;

function pipInstall(name: string, args: readonly string[]): boolean {
  if (/^pip[0-9.]*$/.test(name)) return args.includes('install');
  if (/^python[0-9.]*$/.test(name)) {
    const m = args.indexOf('-m');
    return m >= 0 && /^pip[0-9.]*$/.test(args[m + 1] ?? '') && args[m + 2] === 'install';
  }
  return false;
}

export const df4013: Rule = {
  id: 'DF4013',
  slug: 'pip-no-cache-dir',
  defaultSeverity: 'info',
  summary: 'pip install without --no-cache-dir (or PIP_NO_CACHE_DIR, or a cache mount) keeps the wheel cache in the layer.',
  peers: [hadolint('DL3042')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      if (mountTargets(ins).some((t) => t === '/root/.cache/pip' || t.endsWith('/.cache/pip'))) continue;
      const env = envAt(ast, ins, 'PIP_NO_CACHE_DIR');
      let exported = env !== undefined && TRUE.test(env);
      let bad = false;
      for (const raw of rawCommandsOf(ins)) {
        if (raw.name === 'export') {
          for (const a of raw.args) {
            const m = /^PIP_NO_CACHE_DIR=(.*)$/.exec(a);
            if (m) exported = TRUE.test(m[1] ?? '');
          }
          continue;
        }
        const cmd = unwrap(raw);
        if (!pipInstall(cmd.name, cmd.args)) continue;
        const assign = raw.assigns.find((a) => a.name === 'PIP_NO_CACHE_DIR');
        const off = assign ? TRUE.test(assign.value) : exported;
        if (!off && !cmd.args.includes('--no-cache-dir') && !cmd.args.includes('--no-cache')) bad = true;
      }
      if (bad) hits.push({ range: ins.range, message: 'pip install without --no-cache-dir.' });
    }
    return hits;
  },
};
