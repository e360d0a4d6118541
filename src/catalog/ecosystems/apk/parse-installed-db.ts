export interface ApkRecord {
  readonly name: string;
  readonly version: string;
  readonly arch?: string;
  readonly license?: string;
  readonly origin?: string;
  readonly maintainer?: string;
  readonly depends: readonly string[];
  readonly provides: readonly string[];
  readonly files: readonly string[]; // absolute paths
  readonly line: number;
}

export interface ParsedApkDb {
  readonly records: readonly ApkRecord[];
  readonly problems: readonly string[];
}

/** Parses lib/apk/db/installed: blank-line separated records of `K:value` lines (apk-tools' format). */
export function parseInstalledDb(text: string): ParsedApkDb {
  const records: ApkRecord[] = [];
  const problems: string[] = [];
  let fields = new Map<string, string>();
  let depends: string[] = [];
  let provides: string[] = [];
  let files: string[] = [];
  let dir = '';
  let start = 1;
  const flush = (): void => {
    if (fields.size > 0 || files.length > 0) {
      const name = fields.get('P');
      const version = fields.get('V');
      if (name === undefined || version === undefined || name === '' || version === '') {
        problems.push(`record at line ${start} has no P: or V:`);
      } else {
        const arch = fields.get('A');
        const license = fields.get('L');
        const origin = fields.get('o');
        const maintainer = fields.get('m');
        records.push({
          name,
          version,
          ...(arch !== undefined ? { arch } : {}),
          ...(license !== undefined && license !== '' ? { license } : {}),
          ...(origin !== undefined ? { origin } : {}),
          ...(maintainer !== undefined ? { maintainer } : {}),
          depends,
          provides,
          files,
          line: start,
        });
      }
    }
    fields = new Map();
    depends = [];
    provides = [];
    files = [];
    dir = '';
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line === '') {
      flush();
      start = i + 2;
      continue;
    }
    if (line.length < 2 || line[1] !== ':') {
      problems.push(`line ${i + 1} is not K:value`);
      continue;
    }
    const key = line[0] as string;
    const value = line.slice(2);
    switch (key) {
      case 'D':
        depends = value.split(/\s+/).filter((d) => d !== '');
        break;
      case 'p':
        provides = value.split(/\s+/).filter((d) => d !== '');
        break;
      case 'F':
        dir = value;
        break;
      case 'R':
        files.push(`/${dir === '' ? '' : `${dir}/`}${value}`);
        break;
      default:
        if (!fields.has(key)) fields.set(key, value);
    }
  }
  flush();
  return { records, problems };
}

/** 'so:libc.musl-x86_64.so.1' / 'musl>=1.2' / '!foo' → the name part ('' for conflicts). */
export function dependencyName(token: string): string {
  if (token.startsWith('!')) return '';
  return token.split(/[<>=~]/)[0] ?? '';
}
