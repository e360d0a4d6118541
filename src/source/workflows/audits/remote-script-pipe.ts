import type { Audit, Hit } from '../audit.ts';
import { jobs, rangeOf } from '../model.ts';
import { allCommands, allPipelines, isShellName, parseShell } from '../../dockerfile/parse/shell.ts';
import type { ShellCommand, ShellScript } from '../../dockerfile/parse/shell.ts';

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

export const remoteScriptPipe: Audit = {
  id: 'GH1007',
  slug: 'remote-script-piped-to-shell',
  defaultSeverity: 'error',
  summary: 'run: executes a script downloaded at build time (curl … | sh) without verifying it',
  zizmor: undefined,
  appliesTo: ['workflow', 'action'],
  run(file) {
    const hits: Hit[] = [];
    for (const job of jobs(file)) {
      for (const step of job.steps) {
        if (step.run === undefined) continue;
        const why = findRemoteScriptExecution(step.run.value);
        if (why !== undefined) hits.push({ range: rangeOf(file, step.run.node), message: `${why}; download to a file, verify its checksum or signature, then run it` });
      }
    }
    return hits;
  },
};
