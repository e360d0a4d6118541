import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.ts';
import { familiarName, familiarString, formatReference, manifestReference, parseReference, type ReferenceProblem } from './reference.ts';

const HEX64 = 'f'.repeat(64);
const D256 = `sha256:${HEX64}`;
const D512 = `sha512:${'e'.repeat(128)}`;

interface Valid {
  readonly input: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly tagImplied?: boolean;
}

// Cases modelled on the distribution/reference grammar and docker's normalisation rules.
const VALID: readonly Valid[] = [
  { input: 'test_com', registry: 'docker.io', repository: 'library/test_com', tag: 'latest', tagImplied: true },
  { input: 'test.com:tag', registry: 'docker.io', repository: 'library/test.com', tag: 'tag' },
  { input: 'test.com:5000', registry: 'docker.io', repository: 'library/test.com', tag: '5000' },
  { input: 'test.com/repo:tag', registry: 'test.com', repository: 'repo', tag: 'tag' },
  { input: 'test:5000/repo', registry: 'test:5000', repository: 'repo', tag: 'latest', tagImplied: true },
  { input: 'test:5000/repo:tag', registry: 'test:5000', repository: 'repo', tag: 'tag' },
  { input: `test:5000/repo@${D256}`, registry: 'test:5000', repository: 'repo', digest: D256 },
  { input: `test:5000/repo:tag@${D256}`, registry: 'test:5000', repository: 'repo', tag: 'tag', digest: D256 },
  { input: `repo@${D256}`, registry: 'docker.io', repository: 'library/repo', digest: D256 },
  { input: 'lowercase:Uppercase', registry: 'docker.io', repository: 'library/lowercase', tag: 'Uppercase' },
  { input: 'sub-dom1.foo.com/bar/baz/quux', registry: 'sub-dom1.foo.com', repository: 'bar/baz/quux', tag: 'latest', tagImplied: true },
  { input: 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', registry: 'sub-dom1.foo.com', repository: 'bar/baz/quux', tag: 'some-long-tag' },
  { input: 'b.gcr.io/test.example.com/my-app:test.example.com', registry: 'b.gcr.io', repository: 'test.example.com/my-app', tag: 'test.example.com' },
  { input: 'xn--n3h.com/myimage:xn--n3h.com', registry: 'xn--n3h.com', repository: 'myimage', tag: 'xn--n3h.com' },
  { input: `xn--7o8h.com/myimage:xn--7o8h.com@${D512}`, registry: 'xn--7o8h.com', repository: 'myimage', tag: 'xn--7o8h.com', digest: D512 },
  { input: 'foo_bar.com:8080', registry: 'docker.io', repository: 'library/foo_bar.com', tag: '8080' },
  { input: 'foo/foo_bar.com:8080', registry: 'docker.io', repository: 'foo/foo_bar.com', tag: '8080' },
  { input: '192.168.1.1', registry: 'docker.io', repository: 'library/192.168.1.1', tag: 'latest', tagImplied: true },
  { input: '192.168.1.1:tag', registry: 'docker.io', repository: 'library/192.168.1.1', tag: 'tag' },
  { input: '192.168.1.1:5000', registry: 'docker.io', repository: 'library/192.168.1.1', tag: '5000' },
  { input: '192.168.1.1/repo', registry: '192.168.1.1', repository: 'repo', tag: 'latest', tagImplied: true },
  { input: '192.168.1.1:5000/repo', registry: '192.168.1.1:5000', repository: 'repo', tag: 'latest', tagImplied: true },
  { input: '192.168.1.1:5000/repo:5050', registry: '192.168.1.1:5000', repository: 'repo', tag: '5050' },
  { input: '[2001:db8::1]/repo', registry: '[2001:db8::1]', repository: 'repo', tag: 'latest', tagImplied: true },
  { input: '[2001:db8:1:2:3:4:5:6]/repo:tag', registry: '[2001:db8:1:2:3:4:5:6]', repository: 'repo', tag: 'tag' },
  { input: '[2001:db8::1]:5000/repo', registry: '[2001:db8::1]:5000', repository: 'repo', tag: 'latest', tagImplied: true },
  { input: '[2001:db8::1]:5000/repo:tag', registry: '[2001:db8::1]:5000', repository: 'repo', tag: 'tag' },
  { input: `[2001:db8::1]:5000/repo@${D256}`, registry: '[2001:db8::1]:5000', repository: 'repo', digest: D256 },
  { input: `[2001:db8::1]:5000/repo:tag@${D256}`, registry: '[2001:db8::1]:5000', repository: 'repo', tag: 'tag', digest: D256 },
  { input: '[2001:db8::]:5000/repo', registry: '[2001:db8::]:5000', repository: 'repo', tag: 'latest', tagImplied: true },
  { input: '[::1]:5000/repo', registry: '[::1]:5000', repository: 'repo', tag: 'latest', tagImplied: true },
  { input: 'localhost/foo', registry: 'localhost', repository: 'foo', tag: 'latest', tagImplied: true },
  { input: 'localhost:5000/foo/bar:1', registry: 'localhost:5000', repository: 'foo/bar', tag: '1' },
  { input: 'localhost', registry: 'docker.io', repository: 'library/localhost', tag: 'latest', tagImplied: true },
  { input: 'localhost:5000', registry: 'docker.io', repository: 'library/localhost', tag: '5000' },
  { input: 'ubuntu', registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest', tagImplied: true },
  { input: 'docker.io/ubuntu', registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest', tagImplied: true },
  { input: 'docker.io/library/ubuntu:22.04', registry: 'docker.io', repository: 'library/ubuntu', tag: '22.04' },
  { input: 'index.docker.io/library/ubuntu', registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest', tagImplied: true },
  { input: 'index.docker.io/ubuntu', registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest', tagImplied: true },
  { input: 'library/ubuntu', registry: 'docker.io', repository: 'library/ubuntu', tag: 'latest', tagImplied: true },
  { input: 'user/app', registry: 'docker.io', repository: 'user/app', tag: 'latest', tagImplied: true },
  { input: 'user/nested/app:v1', registry: 'docker.io', repository: 'user/nested/app', tag: 'v1' },
  // an upper-case first component is a registry host, as in docker's splitDockerDomain
  { input: 'FOO/bar', registry: 'FOO', repository: 'bar', tag: 'latest', tagImplied: true },
  { input: 'Docker.io/foo', registry: 'Docker.io', repository: 'foo', tag: 'latest', tagImplied: true },
  { input: 'foo__bar', registry: 'docker.io', repository: 'library/foo__bar', tag: 'latest', tagImplied: true },
  { input: 'foo---bar', registry: 'docker.io', repository: 'library/foo---bar', tag: 'latest', tagImplied: true },
  { input: 'a.b_c-d', registry: 'docker.io', repository: 'library/a.b_c-d', tag: 'latest', tagImplied: true },
  { input: `foo:${'a'.repeat(128)}`, registry: 'docker.io', repository: 'library/foo', tag: 'a'.repeat(128) },
  { input: 'foo:_tag', registry: 'docker.io', repository: 'library/foo', tag: '_tag' },
  { input: `${'a/'.repeat(127)}a:tag-puts-this-over-max`, registry: 'docker.io', repository: `${'a/'.repeat(127)}a`, tag: 'tag-puts-this-over-max' },
  { input: 'ghcr.io/org/app:1.2.3', registry: 'ghcr.io', repository: 'org/app', tag: '1.2.3' },
];

const INVALID: readonly (readonly [string, ReferenceProblem])[] = [
  ['', 'empty'],
  [HEX64, 'image-id'],
  [':justtag', 'invalid-path'],
  [`@${D256}`, 'invalid-path'],
  [`validname@invaliddigest:${HEX64}`, 'unsupported-digest'],
  [`validname@sha256:${'f'.repeat(63)}`, 'invalid-digest'],
  [`validname@sha256:${'F'.repeat(64)}`, 'invalid-digest'],
  ['validname@sha256:xyz', 'invalid-digest'],
  [`validname@${D256}@${D256}`, 'invalid-digest'],
  ['Uppercase:tag', 'uppercase'],
  ['test:5000/Uppercase/lowercase:tag', 'uppercase'],
  ['docker.io/Library/ubuntu', 'uppercase'],
  [`${'a/'.repeat(128)}a:tag`, 'name-too-long'],
  ['aa/asdf$$^/aa', 'invalid-path'],
  ['foo___bar', 'invalid-path'],
  ['foo.-bar', 'invalid-path'],
  ['foo..bar', 'invalid-path'],
  ['foo-', 'invalid-path'],
  ['-foo', 'invalid-path'],
  ['foo//bar', 'invalid-path'],
  ['foo/', 'invalid-path'],
  ['test.com/', 'invalid-path'],
  ['foo:', 'invalid-tag'],
  ['foo:.tag', 'invalid-tag'],
  ['foo:-tag', 'invalid-tag'],
  [`foo:${'a'.repeat(129)}`, 'invalid-tag'],
  ['foo:ta g', 'invalid-tag'],
  ['[fe80::1%eth0]:5000/repo', 'invalid-domain'],
  ['[2001:db8:3:4::192.0.2.33]:5000/repo', 'invalid-domain'],
  ['1a:2b:3c::4d:5e:6f:7g/repo', 'invalid-domain'],
  ['[2001:db8::1]:5000', 'invalid-path'],
  ['-bad.com/repo', 'invalid-domain'],
  ['bad_host.com/repo', 'invalid-domain'],
  ['host:port/repo', 'invalid-domain'],
  ['a b/c', 'invalid-path'],
];

describe('parseReference: valid references', () => {
  it.each(VALID)('$input', (c) => {
    const ref = parseReference(c.input);
    expect(ref.registry).toBe(c.registry);
    expect(ref.repository).toBe(c.repository);
    expect(ref.tag).toBe(c.tag);
    expect(ref.digest).toBe(c.digest);
    expect(ref.tagImplied).toBe(c.tagImplied ?? false);
  });
});

describe('parseReference: invalid references', () => {
  it.each(INVALID)('%s → %s', (input, reason) => {
    let caught: unknown;
    try {
      parseReference(input);
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught, 'IMAGE_REF_INVALID')).toBe(true);
    expect(isAppError(caught) ? caught.details['reason'] : undefined).toBe(reason);
  });
});

describe('formatting', () => {
  it.each([
    ['ubuntu', 'docker.io/library/ubuntu:latest', 'ubuntu', 'ubuntu'],
    ['ubuntu:22.04', 'docker.io/library/ubuntu:22.04', 'ubuntu', 'ubuntu:22.04'],
    ['user/app:1', 'docker.io/user/app:1', 'user/app', 'user/app:1'],
    ['docker.io/library/foo/bar', 'docker.io/library/foo/bar:latest', 'library/foo/bar', 'library/foo/bar'],
    [`localhost:5000/a/b@${D256}`, `localhost:5000/a/b@${D256}`, 'localhost:5000/a/b', `localhost:5000/a/b@${D256}`],
    [`quay.io/x/y:t@${D256}`, `quay.io/x/y:t@${D256}`, 'quay.io/x/y', `quay.io/x/y:t@${D256}`],
  ])('%s', (input, canonical, familiar, familiarWithTag) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(canonical);
    expect(familiarName(ref)).toBe(familiar);
    expect(familiarString(ref)).toBe(familiarWithTag);
    // canonical output parses back to the same reference (modulo tagImplied)
    expect({ ...parseReference(formatReference(ref)), tagImplied: ref.tagImplied }).toEqual(ref);
  });

  it('asks the registry for the digest when both are present', () => {
    expect(manifestReference(parseReference(`a/b:t@${D256}`))).toBe(D256);
    expect(manifestReference(parseReference('a/b:t'))).toBe('t');
    expect(manifestReference(parseReference('a/b'))).toBe('latest');
  });
});
