import type { Rule, RuleHit } from '../rule.ts';
import { commandsOf, isDownloader, pipelinesOf, runs, unwrap } from '../facts.ts';
import { allCommands, isShellName } from '../parse/shell.ts';
import type { ShellCommand, ShellScript } from '../parse/shell.ts';

const INTERPRETERS = new Set(['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php']);

function downloads(scripts: readonly ShellScript[]): boolean {
  return scripts.some((s) => allCommands(s).map(unwrap).some(isDownloader));
}

/** A shell (or interpreter) that runs what arrives on its standard input. */
function runsStdin(cmd: ShellCommand): boolean {
  if (isShellName(cmd.name) || cmd.name === 'source' || cmd.name === '.') {
    if (cmd.args.some((a) => /^-[a-z]*c[a-z]*$/.test(a))) return false;
    const pos = cmd.args.filter((a) => !a.startsWith('-'));
    return pos.length === 0 || cmd.args.includes('-s') || cmd.args.includes('-') || pos[0] === '/dev/stdin';
  }
  if (INTERPRETERS.has(cmd.name) || /^python3\.\d+$/.test(cmd.name)) {
    if (cmd.args.some((a) => a === '-c' || a === '-e' || a === '-m' || a === '-E')) return false;
    const pos = cmd.args.filter((a) => !a.startsWith('-'));
    return pos.length === 0 || pos[0] === '-' || cmd.args.includes('-');
  }
  return false;
}


export const df1001: Rule = {
  id: 'DF1001',
  slug: 'remote-script-piped-to-shell',
  defaultSeverity: 'error',
  summary: 'A script downloaded at build time is executed without verification (curl … | sh, sh -c "$(curl …)", bash <(curl …)).',
  peers: [],
  check({ ast }) {
    const hits: RuleHit[] = [];
    for (const ins of runs(ast)) {
      let found: string | undefined;
      for (const pipe of pipelinesOf(ins)) {
        const idx = pipe.findIndex((u) => u.commands.map(unwrap).some(isDownloader));
        if (idx < 0) continue;
        const sink = pipe.slice(idx + 1).find((u) => u.head !== undefined && runsStdin(unwrap(u.head)));
        if (sink?.head) {
          found = `downloaded content is piped into \`${unwrap(sink.head).name}\``;
          break;
        }
      }
      if (!found) {
        for (const cmd of commandsOf(ins)) {
          const shellLike = isShellName(cmd.name) || cmd.name === 'eval' || cmd.name === 'source' || cmd.name === '.';
          if (!shellLike) continue;
          const subWords = cmd.words.slice(1).filter((w) => w.subs.length > 0 && downloads(w.subs));
          if (subWords.length === 0) continue;
          const proc = subWords.some((w) => w.value.startsWith('<('));
          const dashC = cmd.args.some((a) => /^-[a-z]*c[a-z]*$/.test(a));
          if (proc || dashC || cmd.name === 'eval') {
            found = proc
              ? `\`${cmd.name}\` executes a process substitution that downloads a script`
              : `\`${cmd.name}\` executes the output of a download`;
            break;
          }
        }
      }
      if (found) hits.push({ range: ins.range, message: `Remote script executed without verification: ${found}. Download to a file, verify its checksum or signature, then run it.` });
    }
    return hits;
  },
};
