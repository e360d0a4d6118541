import { parseStanzas } from '../../_shared/rfc822.ts';

export interface PythonMetadata {
  readonly name: string;
  readonly version: string;
  readonly licenses: readonly string[]; // License-Expression, else License, else licence classifiers
  readonly requires: readonly string[]; // Requires-Dist names without extras markers
}

export type MetadataResult = { readonly ok: true; readonly value: PythonMetadata } | { readonly ok: false; readonly reason: string };

const CLASSIFIER_LICENSES: Readonly<Record<string, string>> = {
  'MIT License': 'MIT',
  'BSD License': 'BSD-3-Clause',
  'Apache Software License': 'Apache-2.0',
  'ISC License (ISCL)': 'ISC',
  'Python Software Foundation License': 'PSF-2.0',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
  'GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.0-or-later',
  'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'The Unlicense (Unlicense)': 'Unlicense',
};

/** The header block of a dist-info METADATA / egg-info PKG-INFO file (core metadata, RFC 822 style). */
export function parseMetadata(text: string): MetadataResult {
  const stanza = parseStanzas(text, { stopAtFirstBlank: true })[0];
  if (stanza === undefined) return { ok: false, reason: 'metadata has no header fields' };
  const name = stanza.fields.get('Name');
  const version = stanza.fields.get('Version');
  if (name === undefined || name === '') return { ok: false, reason: 'metadata has no Name' };
  if (version === undefined || version === '') return { ok: false, reason: 'metadata has no Version' };
  const licenses: string[] = [];
  const expression = stanza.fields.get('License-Expression');
  const license = stanza.fields.get('License');
  if (expression !== undefined && expression !== '') licenses.push(expression);
  else if (license !== undefined && license !== '' && license !== 'UNKNOWN' && !license.includes('\n') && license.length <= 80) licenses.push(license);
  else {
    for (const classifier of stanza.multi.get('Classifier') ?? []) {
      const match = /^License :: (?:OSI Approved :: )?(.+)$/.exec(classifier.trim());
      const id = match === null ? undefined : CLASSIFIER_LICENSES[match[1] as string];
      if (id !== undefined) licenses.push(id);
    }
  }
  const requires = (stanza.multi.get('Requires-Dist') ?? []).map((r) => /^[A-Za-z0-9._-]+/.exec(r.trim())?.[0] ?? '').filter((r) => r !== '');
  return { ok: true, value: { name, version, licenses, requires } };
}

/** RECORD: CSV `path,hash,size`; paths relative to the site-packages folder, possibly quoted. */
export function parseRecord(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    let path: string;
    if (line.startsWith('"')) {
      const end = line.indexOf('",', 1);
      path = (end < 0 ? line.slice(1) : line.slice(1, end)).replace(/""/g, '"');
    } else {
      path = line.split(',')[0] ?? '';
    }
    if (path !== '') out.push(path);
  }
  return out;
}

/** PEP 503 normalisation, as the pypi purl type asks. */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
