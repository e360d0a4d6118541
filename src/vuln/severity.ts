import cvssCalculator from 'ae-cvss-calculator';
import type { Severity } from './advisory.ts';

export type SeverityLevel = 'critical' | 'high' | 'medium' | 'low' | 'none' | 'unknown';

/** Ordered from most to least severe; 'unknown' sorts with nothing (never passes a --fail-on check silently). */
export const SEVERITY_LEVELS: readonly SeverityLevel[] = ['critical', 'high', 'medium', 'low', 'none', 'unknown'];

/** One rating with what it was computed from. */
export interface Rating {
  readonly level: SeverityLevel;
  /** CVSS base score when computed from a vector. */
  readonly score?: number;
  /** 'CVSS_V3' | 'CVSS_V4' | 'ecosystem' … */
  readonly type: string;
  /** The vector or the ecosystem's word. */
  readonly vector: string;
  /** Where the rating was published (the advisory id and feed location). */
  readonly source: string;
  /** How the score was obtained: 'computed (FIRST CVSS v3.x spec)', 'ae-cvss-calculator', 'as published'. */
  readonly method: string;
}

export function levelRank(level: SeverityLevel): number {
  return { critical: 4, high: 3, medium: 2, low: 1, none: 0, unknown: -1 }[level];
}

/** FIRST qualitative rating scale (CVSS v3.x and v4). */
export function levelOfScore(score: number): SeverityLevel {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

const AV: Readonly<Record<string, number>> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Readonly<Record<string, number>> = { L: 0.77, H: 0.44 };
const UI: Readonly<Record<string, number>> = { N: 0.85, R: 0.62 };
const CIA: Readonly<Record<string, number>> = { H: 0.56, L: 0.22, N: 0 };

/** CVSS v3.1 Roundup (spec §7.4): avoids floating-point artefacts. */
function roundup31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

function roundup30(x: number): number {
  return Math.ceil(x * 10) / 10;
}

/**
 * The CVSS v3.0/v3.1 BASE score of a vector, per the FIRST specification (§7.1).
 * undefined when the vector is not a valid v3 base vector (missing/unknown base metric).
 */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split('/');
  const head = parts.shift();
  if (head !== 'CVSS:3.1' && head !== 'CVSS:3.0') return undefined;
  const m = new Map<string, string>();
  for (const part of parts) {
    if (part === '') continue; // a trailing slash
    const [key, value, extra] = part.split(':');
    if (key === undefined || value === undefined || extra !== undefined || m.has(key)) return undefined;
    m.set(key, value);
  }
  const scope = m.get('S');
  const av = AV[m.get('AV') ?? ''];
  const ac = AC[m.get('AC') ?? ''];
  const ui = UI[m.get('UI') ?? ''];
  const c = CIA[m.get('C') ?? ''];
  const i = CIA[m.get('I') ?? ''];
  const a = CIA[m.get('A') ?? ''];
  const prLetter = m.get('PR');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const changed = scope === 'C';
  const pr = prLetter === 'N' ? 0.85 : prLetter === 'L' ? (changed ? 0.68 : 0.62) : prLetter === 'H' ? (changed ? 0.5 : 0.27) : undefined;
  if (av === undefined || ac === undefined || ui === undefined || c === undefined || i === undefined || a === undefined || pr === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0;
  const roundup = head === 'CVSS:3.1' ? roundup31 : roundup30;
  return changed ? roundup(Math.min(1.08 * (impact + exploitability), 10)) : roundup(Math.min(impact + exploitability, 10));
}

/** CVSS v4.0 base score via ae-cvss-calculator (FIRST's macrovector lookup is too large to keep here). */
export function cvss4BaseScore(vector: string): number | undefined {
  if (!vector.trim().startsWith('CVSS:4.0/')) return undefined;
  try {
    const scores = new cvssCalculator.Cvss4P0(vector.trim()).calculateScores();
    return typeof scores.base === 'number' && Number.isFinite(scores.base) ? scores.base : undefined;
  } catch (cause) {
    // An invalid vector is an unrated severity, reported as 'unknown' by the caller.
    void cause;
    return undefined;
  }
}

const WORDS: Readonly<Record<string, SeverityLevel>> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'low',
  unimportant: 'low',
  minor: 'low',
  none: 'none',
};

/** Turns one published severity into a rating (computing CVSS scores; mapping ecosystem words). */
export function rate(severity: Severity, advisoryId?: string): Rating {
  const source = advisoryId === undefined ? severity.source : `${advisoryId} (${severity.source})`;
  if (severity.type === 'CVSS_V3' || severity.score.startsWith('CVSS:3.')) {
    const score = cvss3BaseScore(severity.score);
    return { level: score === undefined ? 'unknown' : levelOfScore(score), ...(score !== undefined ? { score } : {}), type: 'CVSS_V3', vector: severity.score, source, method: 'computed (FIRST CVSS v3.x base)' };
  }
  if (severity.type === 'CVSS_V4' || severity.score.startsWith('CVSS:4.0/')) {
    const score = cvss4BaseScore(severity.score);
    return { level: score === undefined ? 'unknown' : levelOfScore(score), ...(score !== undefined ? { score } : {}), type: 'CVSS_V4', vector: severity.score, source, method: 'ae-cvss-calculator (CVSS v4.0 base)' };
  }
  const word = WORDS[severity.score.trim().toLowerCase()];
  return { level: word ?? 'unknown', type: severity.type, vector: severity.score, source, method: 'as published' };
}

/**
 * The rating a finding is sorted and gated by: CVSS v3.x first (comparable across feeds), then
 * v4, then the ecosystem's own word; the highest of each kind. 'unknown' when nothing rates it.
 */
export function pickRating(ratings: readonly Rating[]): Rating | undefined {
  if (ratings.length <= 1) {
    const only = ratings[0];
    // the rules below for one rating: a rated one counts unless it is CVSS v2
    return only === undefined || only.level === 'unknown' || only.type === 'CVSS_V2' ? undefined : only;
  }
  const best = (pred: (r: Rating) => boolean): Rating | undefined =>
    ratings.filter((r) => pred(r) && r.level !== 'unknown').sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || levelRank(b.level) - levelRank(a.level))[0];
  return best((r) => r.type === 'CVSS_V3') ?? best((r) => r.type === 'CVSS_V4') ?? best((r) => r.type !== 'CVSS_V2');
}
