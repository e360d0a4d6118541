import type { Rule, RuleHit } from '../rule.ts';
import { commandsOf, hasFlag } from '../facts.ts';

const ENV_OFF: Readonly<Record<string, RegExp>> = {
  NODE_TLS_REJECT_UNAUTHORIZED: /^0$/,
  GIT_SSL_NO_VERIFY: /^(?:1|true|yes)$/i,
  PYTHONHTTPSVERIFY: /^0$/,
  NPM_CONFIG_STRICT_SSL: /^false$/i,
  npm_config_strict_ssl: /^false$/i,
  CURL_SSL_NO_VERIFY: /^(?:1|true)$/i,
};

function envOff(name: string, value: string | undefined): boolean {
  const re = ENV_OFF[name];
  return re !== undefined && value !== undefined && re.test(value);
}

const INTERESTING = new Set(['curl', 'wget', 'npm', 'yarn', 'pnpm', 'git', 'apt', 'apt-get', 'echo', 'printf']);

export const df1005: Rule = {
  id: 'DF1005',
  slug: 'tls-verification-disabled',
  defaultSeverity: 'error',
  summary: 'TLS certificate verification is turned off (curl -k, wget --no-check-certificate, pip --trusted-host, npm strict-ssl false, git sslVerify false, NODE_TLS_REJECT_UNAUTHORIZED=0).',
  peers: [],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      const why: string[] = [];
      if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
        for (const p of ins.pairs) if (envOff(p.name, p.value)) why.push(`${p.name}=${p.value ?? ''}`);
      }
      if (ins.keyword === 'RUN') {
        for (const cmd of commandsOf(ins)) {
          for (const a of cmd.assigns) if (envOff(a.name, a.value)) why.push(`${a.name}=${a.value}`);
          if (cmd.name === 'export') for (const a of cmd.args) {
            const [n, v] = a.split('=');
            if (n !== undefined && envOff(n, v)) why.push(a);
          }
          if (!INTERESTING.has(cmd.name) && !/^(?:pip|python)[0-9.]*$/.test(cmd.name)) continue;
          const args = cmd.args;
          if (cmd.name === 'curl' && hasFlag(args, 'k', ['insecure'])) why.push('curl --insecure');
          if (cmd.name === 'wget' && args.includes('--no-check-certificate')) why.push('wget --no-check-certificate');
          if (/^pip[0-9.]*$|^python[0-9.]*$/.test(cmd.name) && args.some((a) => a === '--trusted-host' || a.startsWith('--trusted-host='))) why.push('pip --trusted-host');
          if (['npm', 'yarn', 'pnpm'].includes(cmd.name)) {
            const i = args.indexOf('strict-ssl');
            if ((args[0] === 'config' && i > 0 && /^false$/i.test(args[i + 1] ?? '')) || args.some((a) => /^--strict-ssl=false$/i.test(a)) || args.some((a) => /^strict-ssl=false$/i.test(a))) {
              why.push(`${cmd.name} strict-ssl false`);
            }
          }
          if (cmd.name === 'git') {
            const joined = args.join(' ');
            if (/http\.sslverify(?:=|\s+)(?:false|0|no)\b/i.test(joined)) why.push('git http.sslVerify false');
          }
          if (/^apt(-get)?$/.test(cmd.name) && /Acquire::https?::Verify-(?:Peer|Host)=?\s*"?false/i.test(args.join(' '))) why.push('apt Verify-Peer false');
          if ((cmd.name === 'echo' || cmd.name === 'printf') && cmd.redirects.some((r) => /\.curlrc$/.test(r.target?.value ?? '')) && args.some((a) => /\binsecure\b/.test(a))) why.push('insecure in .curlrc');
          if ((cmd.name === 'echo' || cmd.name === 'printf') && cmd.redirects.some((r) => /\.wgetrc$/.test(r.target?.value ?? '')) && args.some((a) => /check_certificate\s*=\s*off/.test(a))) why.push('check_certificate=off in .wgetrc');
        }
      }
      if (why.length > 0) hits.push({ range: ins.range, message: `TLS verification disabled: ${[...new Set(why)].join(', ')}. Fix the trust store (install the CA certificate) instead.` });
    }
    return hits;
  },
};
