import type { Rule, RuleHit } from '../rule.ts';
import { commandsOf, hostAllowed, hostOf, isDownloader, urlsIn } from '../facts.ts';

export const df1003: Rule = {
  id: 'DF1003',
  slug: 'download-host-not-allowed',
  defaultSeverity: 'warning',
  summary: 'RUN or ADD downloads from a host that is not on the configured download allowlist (off until an allowlist is set).',
  peers: [],
  check({ ast, options }) {
    const allow = options.allowedDownloadHosts;
    if (allow.length === 0) return [];
    const hits: RuleHit[] = [];
    for (const ins of ast.flat) {
      const urls: string[] = [];
      if (ins.keyword === 'ADD') urls.push(...(ins.json ?? ins.words.map((w) => w.value)).slice(0, -1).flatMap(urlsIn));
      if (ins.keyword === 'RUN') {
        for (const cmd of commandsOf(ins)) {
          const fetches = isDownloader(cmd) || (cmd.name === 'git' && cmd.args.includes('clone'));
          if (fetches) urls.push(...cmd.args.flatMap(urlsIn));
        }
      }
      const bad = [...new Set(urls.map(hostOf).filter((h): h is string => h !== undefined && !h.includes('$') && !hostAllowed(h, allow)))];
      if (bad.length > 0) hits.push({ range: ins.range, message: `Downloads from host(s) not on the allowlist: ${bad.join(', ')}.` });
    }
    return hits;
  },
};
