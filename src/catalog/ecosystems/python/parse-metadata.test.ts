import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logger.ts';
import { inlineTree } from '../../_shared/test-tree.ts';
import { runCatalog } from '../../run.ts';
import { pythonInstalled } from './index.ts';
import { normalisePythonName, parseMetadata, parseRecord } from './parse-metadata.ts';

describe('python/parse-metadata', () => {
  it('prefers License-Expression, then License, then classifiers', () => {
    const expr = parseMetadata('Name: a\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\nLicense: whatever\n');
    const classifier = parseMetadata('Name: b\nVersion: 2\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: BSD License\n\nbody\n');

    expect(expr.ok && expr.value.licenses).toEqual(['MIT OR Apache-2.0']);
    expect(classifier.ok && classifier.value.licenses).toEqual(['BSD-3-Clause']);
  });

  it('needs Name and Version', () => {
    expect(parseMetadata('Version: 1\n').ok).toBe(false);
    expect(parseMetadata('').ok).toBe(false);
  });

  it('reads RECORD paths, quoted ones too', () => {
    expect(parseRecord('six.py,sha256=abc,123\n"odd, name.py",,\nsix-1.16.0.dist-info/RECORD,,\n')).toEqual(['six.py', 'odd, name.py', 'six-1.16.0.dist-info/RECORD']);
  });

  it('normalises names as PEP 503 does', () => {
    expect(normalisePythonName('Charset_Normalizer')).toBe('charset-normalizer');
  });
});

describe('python-installed cataloguer', () => {
  it('catalogues dist-info with RECORD ownership and egg-info with installed-files.txt', async () => {
    const site = '/usr/lib/python3/dist-packages';
    const tree = inlineTree({
      [`${site}/six-1.16.0.dist-info/METADATA`]: 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n',
      [`${site}/six-1.16.0.dist-info/RECORD`]: 'six.py,sha256=x,1\n../../bin/six-tool,,\n',
      [`${site}/idna-3.3.egg-info/PKG-INFO`]: 'Metadata-Version: 2.1\nName: idna\nVersion: 3.3\nClassifier: License :: OSI Approved :: BSD License\n',
      [`${site}/idna-3.3.egg-info/installed-files.txt`]: '../idna/core.py\n',
      [`${site}/bad.dist-info/METADATA`]: 'Summary: nothing\n',
    });
    const catalog = await runCatalog({ cataloguers: [pythonInstalled], tree, log: silentLogger });

    expect(catalog.packages.map((p) => p.purl)).toEqual(['pkg:pypi/idna@3.3', 'pkg:pypi/six@1.16.0']);
    expect(catalog.relationships).toContainEqual({ kind: 'owns', from: catalog.packages[1]?.id, to: `${site}/six.py` });
    expect(catalog.relationships).toContainEqual({ kind: 'owns', from: catalog.packages[1]?.id, to: '/usr/lib/bin/six-tool' });
    expect(catalog.relationships).toContainEqual({ kind: 'owns', from: catalog.packages[0]?.id, to: `${site}/idna/core.py` });
    expect(catalog.unknowns).toEqual([expect.objectContaining({ path: `${site}/bad.dist-info/METADATA` })]);
  });
});
