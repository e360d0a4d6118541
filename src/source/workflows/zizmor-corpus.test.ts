import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, isCi } from '../../testing/peers.ts';
import type { Persona } from './audit.ts';
import { isWorkflowPath, lintWorkflow } from './lint.ts';
import type { Finding } from '../finding.ts';
import { AUDITS } from './registry.ts';

/**
 * Accuracy against zizmor's own snapshot tests (../shared/corpus/zizmor, pinned commit in its
 * SOURCES.md). For every offline, single-file case, and every zizmor audit we map, the multiset
 * of finding lines we report must equal zizmor's. Disagreements are explained per audit in
 * docs/rules/GH####.md.
 */
interface Case {
  id: string;
  inputs: string[];
  args: string[];
  config: unknown;
  runnable_offline_from_files: boolean;
  expected_findings: { audit: string; location: { file: string; line: number } }[] | null;
  summary_line: string | null;
}

const root = join(corpusDir(), 'zizmor');
const present = existsSync(join(root, 'cases.jsonl'));
if (!present && isCi) throw new Error(`zizmor corpus missing at ${root}`);

function personaOf(args: readonly string[]): Persona | undefined {
  let persona: Persona = 'regular';
  for (const a of args) {
    if (a === '--pedantic' || a === '--persona=pedantic') persona = 'pedantic';
    else if (a === '--persona=auditor') persona = 'auditor';
    else if (a === '--persona=regular') persona = 'regular';
    else return undefined; // other flags (severity/confidence filters, formats) change what is shown
  }
  return persona;
}

const MAPPED = AUDITS.filter((a) => a.zizmor !== undefined).map((a) => a.zizmor as string);

function filesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...filesUnder(dir, rel));
    else if (e.isFile() && isWorkflowPath(rel) && !rel.includes('.gitlab')) out.push(rel);
  }
  return out;
}

export interface AuditScore {
  cases: number;
  agree: number;
  tp: number;
  fp: number;
  fn: number;
  disagreements: string[];
}

function score(): Map<string, AuditScore> {
  const scores = new Map<string, AuditScore>(MAPPED.map((m) => [m, { cases: 0, agree: 0, tp: 0, fp: 0, fn: 0, disagreements: [] }]));
  const cases = readFileSync(join(root, 'cases.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Case);
  for (const c of cases) {
    if (!c.runnable_offline_from_files || c.config || c.expected_findings === null || c.summary_line === null) continue;
    if (c.inputs.length !== 1) continue;
    const input = (c.inputs[0] ?? '').replace(/\/+$/, '');
    const persona = personaOf(c.args);
    if (persona === undefined || /dependabot|pre-commit/.test(input)) continue;
    // A single file is reported as @@INPUT@@; a directory's files as @@INPUT@@/<relative path>.
    const targets = statSync(join(root, input)).isDirectory()
      ? filesUnder(join(root, input)).map((rel) => ({ path: `${input}/${rel}`, label: `@@INPUT@@/${rel}` }))
      : /\.ya?ml$/.test(input)
        ? [{ path: input, label: '@@INPUT@@' }]
        : [];
    if (targets.length === 0) continue;
    const findings: (Finding & { label: string })[] = [];
    for (const t of targets) {
      for (const f of lintWorkflow(t.path, readFileSync(join(root, t.path), 'utf8'), { persona }).findings) findings.push({ ...f, label: t.label });
    }
    for (const audit of MAPPED) {
      const expected = c.expected_findings.filter((f) => f.audit === audit).map((f) => `${f.location.file}:${f.location.line}`).sort();
      const ours = findings
        .filter((f) => f.suppressed === undefined && AUDITS.find((a) => a.id === f.ruleId)?.zizmor === audit)
        .map((f) => `${f.label}:${f.range.startLine}`)
        .sort();
      const relevant = expected.length > 0 || ours.length > 0 || input.includes(audit) || input.replace(/_/g, '-').includes(audit);
      if (!relevant) continue;
      const s = scores.get(audit);
      if (s === undefined) continue;
      s.cases++;
      const rest = [...ours];
      let tp = 0;
      for (const line of expected) {
        const at = rest.indexOf(line);
        if (at >= 0) {
          rest.splice(at, 1);
          tp++;
        }
      }
      s.tp += tp;
      s.fn += expected.length - tp;
      s.fp += rest.length;
      if (tp === expected.length && rest.length === 0) s.agree++;
      else s.disagreements.push(`${c.id} ${input} [${c.args.join(' ')}] zizmor=${expected.join(',')} ours=${ours.join(',')}`.replace(/@@INPUT@@:?/g, ''));
    }
  }
  return scores;
}

describe.skipIf(!present)('zizmor corpus agreement', () => {
  it('agrees with zizmor per audit', () => {
    const scores = score();
    const rows: string[] = [];
    let cases = 0;
    let agree = 0;
    for (const [audit, s] of scores) {
      if (s.cases === 0) continue;
      cases += s.cases;
      agree += s.agree;
      rows.push(`${audit.padEnd(32)} cases=${String(s.cases).padStart(3)} agree=${String(s.agree).padStart(3)} (${((100 * s.agree) / s.cases).toFixed(0)}%)  findings tp=${s.tp} fp=${s.fp} fn=${s.fn}`);
      for (const d of s.disagreements) rows.push(`    ${d}`);
    }
    rows.push(`TOTAL cases=${cases} agree=${agree} (${((100 * agree) / cases).toFixed(1)}%)`);
    console.log(rows.join('\n'));
    expect(cases).toBeGreaterThan(60);
    // Floors: 98.8% of cases overall today (82/83); every audit with at least 3 cases at 80% or more.
    expect(agree / cases).toBeGreaterThanOrEqual(0.95);
    for (const [audit, s] of scores) if (s.cases >= 3) expect(s.agree / s.cases, audit).toBeGreaterThanOrEqual(0.8);
    // Disagreements are explained in docs/rules/GH####.md; a new one must be looked at.
    const total = [...scores.values()].reduce((n, s) => n + s.disagreements.length, 0);
    expect(total).toBeLessThanOrEqual(2);
  });
});
