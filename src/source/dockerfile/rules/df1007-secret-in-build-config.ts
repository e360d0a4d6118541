import type { Rule, RuleHit } from '../rule.ts';
import { hadolint } from '../rule.ts';

/** Name tokens (split on _ - . and camel case) that say "this is a secret". */
const SECRET_TOKENS = new Set(['password', 'passwd', 'secret', 'token', 'apikey', 'credential', 'credentials', 'privatekey', 'accesskey', 'secretkey', 'passphrase']);
const KEY_QUALIFIERS = new Set(['api', 'access', 'private', 'secret', 'signing', 'encryption', 'master']);
/** Last tokens that mean the value points at a secret (a file, a user name, a switch), not the secret itself. */
const POINTER = new Set(['file', 'path', 'dir', 'url', 'uri', 'host', 'port', 'user', 'username', 'name', 'version', 'enabled', 'enable', 'type', 'method', 'endpoint', 'length', 'mode', 'hash', 'min', 'max', 'ttl', 'expiry', 'lifetime', 'header', 'policy', 'provider']);

function tokens(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[_\-.]+/).filter((t) => t !== '');
}

/** True for names like DB_PASSWORD, apiKey, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, MYSQL_PASS. */
export function secretName(name: string): boolean {
  const t = tokens(name);
  const last = t[t.length - 1] ?? '';
  if (t.length === 0 || POINTER.has(last)) return false;
  for (let k = 0; k < t.length; k++) {
    const x = t[k] ?? '';
    if (SECRET_TOKENS.has(x)) return true;
    if (x === 'pass' && (k === t.length - 1 || t[k + 1] === 'word')) return true;
    if (x === 'key' && k > 0 && KEY_QUALIFIERS.has(t[k - 1] ?? '')) return true;
  }
  return false;
}

const VALUE_PATTERNS: readonly [string, RegExp][] = [
  ['AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['GitHub token', /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}/],
  ['GitLab token', /\bglpat-[A-Za-z0-9_-]{20}\b/],
  ['Slack token', /\bxox[baprs]-[A-Za-z0-9-]{10,}/],
  ['private key', /-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY/],
  ['npm token', /\bnpm_[A-Za-z0-9]{36}\b/],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
  ['Stripe key', /\b[sr]k_live_[0-9A-Za-z]{20,}/],
  ['credentials in URL', /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@$]+:[^/\s@$]+@[^\s/]+/i],
];

/** A value that is plainly not a secret: empty, a variable reference, a placeholder. */
function placeholder(value: string): boolean {
  const v = value.trim();
  return v === '' || /^\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\}?$/.test(v) || /^(?:changeme|change-me|xxx+|\*+|none|null|false|true|<.*>|\/.*)$/i.test(v);
}

export const df1007: Rule = {
  id: 'DF1007',
  slug: 'secret-in-build-config',
  defaultSeverity: 'error',
  summary: 'A secret is set in ENV, ARG or LABEL: it is stored in the image config or build history. Use build secrets (RUN --mount=type=secret).',
  peers: [hadolint('DL3064')],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG' && ins.keyword !== 'LABEL') continue;
      for (const p of ins.pairs) {
        const value = p.value ?? '';
        const pattern = VALUE_PATTERNS.find(([, re]) => re.test(value));
        if (pattern) {
          hits.push({ range: p.range, message: `${ins.keyword} ${p.name} holds what looks like a ${pattern[0]}.` });
          continue;
        }
        if (ins.keyword === 'LABEL' || !secretName(p.name)) continue;
        if (ins.keyword === 'ENV' && placeholder(value)) continue;
        if (ins.keyword === 'ARG' && p.value !== undefined && placeholder(value)) continue;
        const how = ins.keyword === 'ARG' && p.value === undefined ? 'is passed as a build argument (kept in the build history)' : 'is set to a literal value';
        hits.push({ range: p.range, message: `${ins.keyword} ${p.name} ${how}; use a build secret (RUN --mount=type=secret) or runtime configuration.` });
      }
    }
    return hits;
  },
};
