import type { Rule, RuleHit } from '../rule.ts';
import { commandsOf } from '../facts.ts';

const INTERESTING = new Set(['apt', 'apt-get', 'aptitude', 'apk', 'yum', 'dnf', 'microdnf', 'tdnf', 'zypper', 'rpm', 'echo', 'printf', 'tee', 'sed']);

export const df1006: Rule = {
  id: 'DF1006',
  slug: 'unauthenticated-packages',
  defaultSeverity: 'error',
  summary: 'Package signature checks are disabled (apt --allow-unauthenticated/--force-yes, [trusted=yes], apk --allow-untrusted, yum/dnf --nogpgcheck, rpm --nosignature).',
  peers: [],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'RUN') continue;
      const why: string[] = [];
      for (const cmd of commandsOf(ins)) {
        if (!INTERESTING.has(cmd.name)) continue;
        const args = cmd.args;
        const joined = args.join(' ');
        if (/^(apt|apt-get|aptitude)$/.test(cmd.name)) {
          for (const f of ['--allow-unauthenticated', '--force-yes', '--allow-insecure-repositories']) if (args.includes(f)) why.push(`${cmd.name} ${f}`);
          if (/APT::Get::AllowUnauthenticated[= ]*"?(?:true|1|yes)/i.test(joined)) why.push('APT::Get::AllowUnauthenticated');
        }
        // --allow-untrusted for .apk files built in an earlier stage of the same build is not a network risk
        const apkPkgs = cmd.name === 'apk' ? args.filter((a) => !a.startsWith('-') && a !== 'add') : [];
        if (cmd.name === 'apk' && args.includes('--allow-untrusted') && !(apkPkgs.length > 0 && apkPkgs.every((a) => a.endsWith('.apk') || a.startsWith('/')))) why.push('apk --allow-untrusted');
        if (/^(yum|dnf|microdnf|tdnf|zypper)$/.test(cmd.name) && args.some((a) => a === '--nogpgcheck' || a === '--no-gpg-checks' || a === '--setopt=gpgcheck=0')) why.push(`${cmd.name} --nogpgcheck`);
        if (cmd.name === 'rpm' && args.some((a) => a === '--nosignature' || a === '--nodigest')) why.push('rpm --nosignature');
        if ((cmd.name === 'echo' || cmd.name === 'printf' || cmd.name === 'tee') && /\[[^\]]*trusted=yes[^\]]*\]\s*(?!\s|file:)/.test(joined)) why.push('[trusted=yes] apt source');
        if ((cmd.name === 'echo' || cmd.name === 'printf' || cmd.name === 'sed') && /\bgpgcheck\s*=\s*0\b/.test(joined)) why.push('gpgcheck=0');
      }
      if (why.length > 0) hits.push({ range: ins.range, message: `Package authentication disabled: ${[...new Set(why)].join(', ')}. Import the repository key instead.` });
    }
    return hits;
  },
};
