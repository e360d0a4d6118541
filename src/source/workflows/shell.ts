/** Shell analysis shared by the GitHub and GitLab audits, on the Dockerfile linter's shell parser. */
import { allCommands, allPipelines, isShellName, parseShell } from '../dockerfile/parse/shell.ts';
import type { ShellCommand, ShellScript } from '../dockerfile/parse/shell.ts';

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'iwr', 'invoke-webrequest']);
const INTERPRETERS = new Set(['python', 'python3', 'perl', 'ruby', 'node', 'php', 'pwsh', 'powershell']);
const EVALUATORS = new Set(['eval', 'source', '.', 'iex', 'invoke-expression']);

const strip = (name: string): string => name.toLowerCase().replace(/^.*\//, '');
const isDownloader = (c: ShellCommand | undefined): boolean => c !== undefined && (DOWNLOADERS.has(strip(c.name)) || (strip(c.name) === 'sudo' && DOWNLOADERS.has(strip(c.args[0] ?? ''))));
const isRunner = (c: ShellCommand | undefined): boolean => {
  if (c === undefined) return false;
  const n = strip(c.name) === 'sudo' ? strip(c.args.find((a) => !a.startsWith('-')) ?? '') : strip(c.name);
  return isShellName(n) || INTERPRETERS.has(n) || EVALUATORS.has(n);
};
const downloadsIn = (scripts: readonly ShellScript[]): boolean => scripts.some((s) => allCommands(s).some(isDownloader));

/** `curl … | sh`, `sh -c "$(curl …)"`, `bash <(wget -O- …)`, `eval "$(curl …)"`, found through &&, ;, subshells and nesting. */
export function findRemoteScriptExecution(text: string): string | undefined {
  const script = parseShell(text);
  for (const pipeline of allPipelines(script)) {
    const from = pipeline.findIndex((u) => u.commands.some(isDownloader));
    if (from >= 0 && pipeline.slice(from + 1).some((u) => isRunner(u.head))) return 'a download is piped into an interpreter';
  }
  for (const cmd of allCommands(script)) {
    if (!isRunner(cmd)) continue;
    if (cmd.words.some((w) => downloadsIn(w.subs))) return `${cmd.name} executes the output of a download`;
  }
  return undefined;
}

