import { describe, expect, it } from 'vitest';
import { allCommands, allPipelines, execFormScript, parseShell } from './shell.ts';

const names = (s: string): string[] => allCommands(parseShell(s)).map((c) => c.name);
const pipes = (s: string): string[] => allPipelines(parseShell(s)).map((p) => p.map((u) => u.head?.name ?? '?').join('|'));

describe('parseShell', () => {
  it('splits lists on && || ; & and newlines', () => {
    expect(names('a && b || c; d & e\nf')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('keeps quoted separators inside words and removes quotes', () => {
    const s = parseShell(`echo "a | b" 'c && d' e\\;f`);
    expect(s.commands).toHaveLength(1);
    expect(s.commands[0]?.args).toEqual(['a | b', 'c && d', 'e;f']);
  });

  it('finds pipelines, including through subshells', () => {
    expect(pipes('curl -fsSL https://x | sh')).toEqual(['curl|sh']);
    expect(pipes('(cd /tmp && curl https://x) | bash -s -- -y')).toEqual(['cd|bash']);
    expect(pipes('a | b | c && d')).toEqual(['a|b|c']);
  });

  it('parses command substitutions, backticks and process substitutions as nested scripts', () => {
    expect(names('sh -c "$(curl -fsSL https://x)"')).toEqual(['sh', 'curl']);
    expect(names('bash <(wget -qO- https://x)')).toEqual(['bash', 'wget']);
    expect(names('echo `uname -m`')).toEqual(['echo', 'uname']);
    expect(names('x="$(dpkg --print-architecture)"; echo $x')).toEqual(['', 'dpkg', 'echo']);
  });

  it('parses the script given to sh -c', () => {
    expect(pipes("sh -c 'curl https://x | bash'")).toEqual(['curl|bash']);
  });

  it('skips control keywords and case patterns', () => {
    expect(names('if [ -f x ]; then a; else b; fi; for i in 1 2; do c $i; done; while true; do d; done')).toEqual(['[', 'a', 'b', 'c', 'true', 'd']);
    expect(names('case "$a" in x|y) e ;; *) f ;; esac')).toEqual(['e', 'f']);
  });

  it('records assignments and redirects apart from words', () => {
    const [c] = parseShell('DEBIAN_FRONTEND=noninteractive apt-get install -y x > /dev/null 2>&1').commands;
    expect(c?.name).toBe('apt-get');
    expect(c?.assigns).toEqual([{ name: 'DEBIAN_FRONTEND', value: 'noninteractive' }]);
    expect(c?.args).toEqual(['install', '-y', 'x']);
    expect(c?.redirects.map((r) => r.op)).toEqual(['>', '>&']);
  });

  it('joins backslash-newline continuations and ignores comments', () => {
    expect(names('a \\\n  --flag && # comment\n b')).toEqual(['a', 'b']);
  });

  it('never throws on malformed input', () => {
    for (const s of ['"unterminated', "'x", '$(', '`', '((((', ')))', '${', 'a |', '| b', '<(', ';;']) expect(() => parseShell(s)).not.toThrow();
  });

  it('builds exec-form scripts', () => {
    const s = execFormScript(['/bin/sh', '-c', 'curl x | sh']);
    expect(allPipelines(s).map((p) => p.map((u) => u.head?.name).join('|'))).toEqual(['curl|sh']);
  });
});
