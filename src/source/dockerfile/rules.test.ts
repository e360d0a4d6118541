/**
 * Behaviour of every Dockerfile rule: for each rule at least one Dockerfile that must trigger it and one
 * that must not. Security rules get the adversarial variants the issue names.
 */
import { describe, expect, it } from 'vitest';
import type { Tri } from '../../core/result.ts';
import { parseLintConfig } from '../lint-config.ts';
import { lintDockerfile } from './lint.ts';
import { DOCKERFILE_RULES } from './registry.ts';

interface Case {
  readonly df: string;
  readonly dockerignore?: Tri;
  readonly config?: Parameters<typeof parseLintConfig>[0];
}

const CASES: Readonly<Record<string, { readonly yes: readonly (string | Case)[]; readonly no: readonly (string | Case)[] }>> = {
  DF1001: {
    yes: [
      'FROM a:1\nRUN curl -fsSL https://get.example.com | sh',
      'FROM a:1\nRUN wget -O- https://x/install | bash',
      'FROM a:1\nRUN apt-get update && \\\n    curl -s https://x/i.sh | sudo -E bash -',
      'FROM a:1\nRUN sh -c "$(curl -fsSL https://x/install.sh)"',
      'FROM a:1\nRUN bash <(curl -s https://x)',
      'FROM a:1\nRUN set -e; (curl -s https://x) | sh',
      'FROM a:1\nRUN true || { echo; }; if true; then curl https://x | python3 -; fi',
      'FROM a:1\nRUN ["/bin/sh", "-c", "curl https://x | sh"]',
      'FROM a:1\nRUN <<EOF\nset -e\ncurl https://x | sh\nEOF',
      'FROM a:1\nONBUILD RUN curl https://x | sh',
      'FROM a:1\nRUN eval "$(curl -s https://x)"',
    ],
    no: [
      'FROM a:1\nRUN curl -fsSL https://x -o i.sh && sha256sum -c sums && sh i.sh',
      'FROM a:1\nRUN curl -fsSL https://x/key.gpg | gpg --dearmor -o /k.gpg',
      'FROM a:1\nRUN curl -s https://x/data.json | python3 -c "import json,sys; print(json.load(sys.stdin))"',
      'FROM a:1\nRUN curl -sL https://x.tgz | tar xz -C /opt',
      'FROM a:1\nRUN echo "curl https://x | sh"',
      'FROM a:1\nRUN curl https://x | sh -c "tar xz"',
    ],
  },
  DF1002: { yes: ['FROM a:1\nADD https://x/y.tar.gz /opt/'], no: ['FROM a:1\nADD --checksum=sha256:abc https://x/y.tar.gz /opt/', 'FROM a:1\nADD app.tar.gz /opt/'] },
  DF1003: {
    yes: [{ df: 'FROM a:1\nRUN curl -fsSL https://evil.example.net/x -o x', config: { allowlists: { downloadHosts: ['github.com'] } } }],
    no: [
      { df: 'FROM a:1\nRUN curl -fsSL https://github.com/x -o x && wget https://objects.githubusercontent.com/y', config: { allowlists: { downloadHosts: ['github.com', '*.githubusercontent.com'] } } },
      'FROM a:1\nRUN curl -fsSL https://anything.example/x -o x',
    ],
  },
  DF1004: {
    yes: ['FROM a:1\nRUN pip install https://x/pkg-1.0.tar.gz', 'FROM a:1\nRUN pip3 install git+https://github.com/o/r.git', 'FROM a:1\nRUN python -m pip install s3://bucket/pkg.whl', 'FROM a:1\nRUN npm install https://x/pkg.tgz'],
    no: ['FROM a:1\nRUN pip install requests==2.31.0', 'FROM a:1\nRUN npm install express@4.18.2', 'FROM a:1\nRUN pip install -r requirements.txt --index-url https://pypi.example/simple'],
  },
  DF1005: {
    yes: [
      'FROM a:1\nRUN curl -fsSLk https://x -o y',
      'FROM a:1\nRUN curl --insecure https://x -o y',
      'FROM a:1\nRUN wget --no-check-certificate https://x',
      'FROM a:1\nRUN pip install --trusted-host pypi.example x==1',
      'FROM a:1\nRUN npm config set strict-ssl false',
      'FROM a:1\nRUN git config --global http.sslVerify false',
      'FROM a:1\nRUN git -c http.sslVerify=false clone https://x',
      'FROM a:1\nENV NODE_TLS_REJECT_UNAUTHORIZED=0',
      'FROM a:1\nRUN GIT_SSL_NO_VERIFY=1 git clone https://x',
    ],
    no: ['FROM a:1\nRUN curl -fsSL https://x -o y', 'FROM a:1\nENV NODE_TLS_REJECT_UNAUTHORIZED=1', 'FROM a:1\nRUN echo --insecure'],
  },
  DF1006: {
    yes: [
      'FROM a:1\nRUN apt-get install -y --allow-unauthenticated x',
      'FROM a:1\nRUN apt-get install -y --force-yes x',
      'FROM a:1\nRUN echo "deb [trusted=yes] http://repo.example/ stable main" > /etc/apt/sources.list.d/x.list',
      'FROM a:1\nRUN apk add --allow-untrusted x',
      'FROM a:1\nRUN yum install -y --nogpgcheck x',
    ],
    no: ['FROM a:1\nRUN apt-get install -y x', 'FROM a:1\nRUN echo "deb [ trusted=yes ] file:///tmp/repo ./" > /etc/apt/sources.list.d/t.list', 'FROM a:1\nRUN apk add --allow-untrusted /tmp/pkgs/x-1.0.apk'],
  },
  DF1007: {
    yes: ['FROM a:1\nENV DB_PASSWORD=hunter2', 'FROM a:1\nARG GITHUB_TOKEN', 'FROM a:1\nENV AWS_SECRET_ACCESS_KEY=abc123', 'FROM a:1\nLABEL x="AKIAIOSFODNN7EXAMPLE"', 'FROM a:1\nENV apiKey=abcdef'],
    no: ['FROM a:1\nENV PASSWORD_FILE=/run/secrets/db', 'FROM a:1\nENV DB_PASSWORD=$DB_PASSWORD', 'FROM a:1\nARG TOKEN_URL=https://x', 'FROM a:1\nENV GPG_KEY A035C8C19219BA821ECEA86B64E628F8D684696D', 'FROM a:1\nENV PASS_MIN_DAYS=1'],
  },
  DF1008: {
    yes: [{ df: 'FROM a:1\nCOPY . .', dockerignore: 'no' }, { df: 'FROM a:1\nADD . /app', dockerignore: 'no' }],
    no: [{ df: 'FROM a:1\nCOPY . .', dockerignore: 'yes' }, { df: 'FROM a:1\nCOPY . .', dockerignore: 'unknown' }, { df: 'FROM a:1\nCOPY src/ /app/', dockerignore: 'no' }],
  },
  DF2001: {
    yes: ['FROM debian:12', 'ARG V=3.19\nFROM alpine:${V}'],
    no: ['FROM debian:12@sha256:0000000000000000000000000000000000000000000000000000000000000000', 'FROM scratch', 'FROM a:1@sha256:00 AS b\nFROM b', 'ARG BASE\nFROM ${BASE}'],
  },
  DF2002: { yes: ['FROM debian', 'ARG B=debian\nFROM $B'], no: ['FROM debian:12', 'FROM debian@sha256:00', 'FROM scratch', 'ARG B\nFROM $B'] },
  DF2003: { yes: ['FROM debian:latest', 'FROM r.example.com:5000/x:latest'], no: ['FROM debian:latest@sha256:00', 'FROM debian:12'] },
  DF2004: {
    yes: [{ df: 'FROM quay.io/x/y:1', config: { allowlists: { registries: ['registry.example.com'] } } }, { df: 'FROM debian:12', config: { allowlists: { registries: ['registry.example.com'] } } }],
    no: [{ df: 'FROM registry.example.com/x:1', config: { allowlists: { registries: ['registry.example.com'] } } }, { df: 'FROM debian:12', config: { allowlists: { registries: ['docker.io'] } } }, 'FROM quay.io/x/y:1'],
  },
  DF2005: { yes: ['FROM ubuntu:24.04', 'FROM python:3.12', 'FROM node:20 AS b\nFROM b'], no: ['FROM python:3.12-slim', 'FROM node:20 AS build\nFROM gcr.io/distroless/nodejs20-debian12', 'FROM alpine:3.20'] },
  DF2006: { yes: ['FROM --platform=linux/amd64 debian:12'], no: ['FROM --platform=$BUILDPLATFORM debian:12', 'FROM debian:12'] },
  DF3001: { yes: ['FROM a:1\nUSER root', 'FROM a:1\nUSER app\nUSER 0:0'], no: ['FROM a:1\nUSER root\nRUN x\nUSER app', 'FROM a:1\nUSER root\nFROM b:1\nUSER app'] },
  DF3002: { yes: ['FROM a:1\nRUN x'], no: ['FROM a:1\nUSER 1000', 'FROM a:1 AS b\nUSER app\nFROM b', 'FROM scratch\nCOPY x /x'] },
  DF3003: {
    yes: ['FROM debian:12\nRUN apt-get install -y gcc make'],
    no: ['FROM debian:12 AS build\nRUN apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /x /x', 'FROM debian:12\nRUN apt-get install -y gcc && make && apt-get purge -y gcc'],
  },
  DF3004: { yes: ['FROM a:1'], no: ['FROM a:1\nHEALTHCHECK CMD true', 'FROM a:1 AS b\nHEALTHCHECK CMD true\nFROM b'] },
  DF3005: { yes: ['FROM a:1\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b'], no: ['FROM a:1\nHEALTHCHECK CMD a\nFROM b:1\nHEALTHCHECK CMD b'] },
  DF4001: { yes: ['FROM a:1\nRUN apt-get install -y curl'], no: ['FROM a:1\nRUN apt-get install -y curl=7.88.1-10', 'FROM a:1\nRUN apt-get install -y ./x.deb'] },
  DF4002: { yes: ['FROM a:1\nRUN apt-get install -y x=1'], no: ['FROM a:1\nRUN apt-get install -y --no-install-recommends x=1'] },
  DF4003: {
    yes: ['FROM a:1\nRUN apt-get update && apt-get install -y x'],
    no: ['FROM a:1\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*', 'FROM a:1\nRUN apt-get update; apt-get install -y x; apt-get dist-clean', 'FROM a:1 AS unused\nRUN apt-get update\nFROM b:1'],
  },
  DF4004: { yes: ['FROM a:1\nRUN apt-get install x'], no: ['FROM a:1\nRUN apt-get install -qqy x', 'FROM a:1\nRUN apt-get install --assume-yes x'] },
  DF4005: { yes: ['FROM a:1\nRUN apt install -y x'], no: ['FROM a:1\nRUN apt-get install -y x'] },
  DF4006: { yes: ['FROM a:1\nRUN apk add --no-cache curl'], no: ['FROM a:1\nRUN apk add --no-cache curl=8.5.0-r0 --virtual .deps'] },
  DF4007: { yes: ['FROM a:1\nRUN apk add curl=1'], no: ['FROM a:1\nRUN apk add --no-cache curl=1', 'FROM a:1\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=1'] },
  DF4008: { yes: ['FROM a:1\nRUN dnf install -y x-1.0'], no: ['FROM a:1\nRUN dnf install -y x-1.0 && dnf clean all'] },
  DF4009: { yes: ['FROM a:1\nRUN dnf install -y x'], no: ['FROM a:1\nRUN dnf install -y x-1.0'] },
  DF4010: { yes: ['FROM a:1\nRUN yum install -y x-1'], no: ['FROM a:1\nRUN yum install -y x-1 && yum clean all'] },
  DF4011: { yes: ['FROM a:1\nRUN yum install -y x'], no: ['FROM a:1\nRUN yum install -y x-1.2'] },
  DF4012: { yes: ['FROM a:1\nRUN pip install flask'], no: ['FROM a:1\nRUN pip install flask==3.0.0', 'FROM a:1\nRUN pip install -r requirements.txt'] },
  DF4013: { yes: ['FROM a:1\nRUN pip install x==1'], no: ['FROM a:1\nRUN pip install --no-cache-dir x==1', 'FROM a:1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install x==1'] },
  DF4014: { yes: ['FROM a:1\nRUN npm install -g typescript'], no: ['FROM a:1\nRUN npm install -g typescript@5.4.0', 'FROM a:1\nRUN npm ci'] },
  DF4015: { yes: ['FROM a:1\nRUN sudo make install'], no: ['FROM a:1\nRUN apt-get install -y sudo=1'] },
  DF4016: { yes: ['FROM a:1\nRUN cd /app && make'], no: ['FROM a:1\nWORKDIR /app\nRUN make', 'FROM a:1\nRUN tar xf x.tgz && cd x && make'] },
  DF4017: { yes: ['FROM a:1\nWORKDIR app'], no: ['FROM a:1\nWORKDIR /app', 'FROM a:1\nWORKDIR $HOME'] },
  DF4018: { yes: ['FROM a:1\nMAINTAINER me'], no: ['FROM a:1\nLABEL org.opencontainers.image.authors=me'] },
  DF4019: { yes: ['FROM a:1\nCMD ["a"]\nCMD ["b"]'], no: ['FROM a:1\nCMD ["a"]\nFROM b:1\nCMD ["b"]'] },
  DF4020: { yes: ['FROM a:1\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]'], no: ['FROM a:1\nENTRYPOINT ["a"]'] },
  DF4021: { yes: ['FROM a:1 AS x\nCOPY --from=x /a /b'], no: ['FROM a:1 AS x\nFROM b:1\nCOPY --from=x /a /b'] },
  DF4022: { yes: ['FROM a:1 AS x\nFROM b:1 AS x'], no: ['FROM a:1 AS x\nFROM b:1 AS y'] },
  DF4023: { yes: ['FROM a:1\nCMD node server.js'], no: ['FROM a:1\nCMD ["node", "server.js"]'] },
  DF4024: { yes: ['FROM a:1\nRUN useradd -u 1000000 app'], no: ['FROM a:1\nRUN useradd -l -u 1000000 app', 'FROM a:1\nRUN useradd -u 1000 app'] },
  DF4025: { yes: ['FROM a:1\nRUN curl -s https://x | tar x'], no: ['FROM a:1\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -s https://x | tar x', 'FROM a:1\nRUN set -o pipefail && a | b'] },
  DF4026: { yes: ['FROM a:1\nADD app.py /app/'], no: ['FROM a:1\nADD rootfs.tar.gz /', 'FROM a:1\nCOPY app.py /app/'] },
  DF4027: { yes: ['FROM a:1\nEXPOSE 80000'], no: ['FROM a:1\nEXPOSE 8080/tcp 40000-60000'] },
  DF4028: { yes: ['FROM a:1\nRUN yum install x-1'], no: ['FROM a:1\nRUN yum install -y x-1'] },
  DF4029: { yes: ['FROM a:1\nRUN dnf install x-1'], no: ['FROM a:1\nRUN dnf install -y x-1'] },
  DF4030: { yes: ['FROM a:1\nRUN gem install rails'], no: ['FROM a:1\nRUN gem install rails:7.1.0', 'FROM a:1\nRUN gem install rails -v 7.1.0'] },
  DF4031: { yes: ['FROM a:1\nRUN go install example.com/cmd/x@latest'], no: ['FROM a:1\nRUN go install example.com/cmd/x@v1.2.3', 'FROM a:1\nRUN go run main.go'] },
  DF4032: { yes: ['FROM a:1\nRUN yarn install'], no: ['FROM a:1\nRUN yarn install && yarn cache clean'] },
  DF4033: { yes: ['FROM a:1\nCOPY a b /dest'], no: ['FROM a:1\nCOPY a b /dest/'] },
  DF4034: { yes: ['FROM a:1\nCOPY --from=nope /a /b'], no: ['FROM a:1 AS x\nFROM b:1\nCOPY --from=x /a /b', 'FROM a:1\nCOPY --from=alpine:3 /a /b'] },
  DF4035: { yes: ['FROM a:1\nONBUILD ONBUILD RUN x'], no: ['FROM a:1\nONBUILD RUN x'] },
  DF4036: { yes: ['FROM a:1\nENV A=1 B=$A'], no: ['FROM a:1\nENV A=1\nENV B=$A'] },
  DF4037: { yes: ['FROM a:1\nCOPY x dir/'], no: ['FROM a:1\nWORKDIR /app\nCOPY x dir/', 'FROM a:1\nCOPY x /dir/'] },
  DF4038: { yes: ['RUN x\nFROM a:1'], no: ['ARG V=1\nFROM a:$V'] },
  DF4039: { yes: ['FROM a:1\nRUN zypper install x=1'], no: ['FROM a:1\nRUN zypper -n install x=1', 'FROM a:1\nRUN zypper install -y x=1'] },
  DF4040: { yes: ['FROM a:1\nRUN zypper dup'], no: ['FROM a:1\nRUN zypper -n install x=1'] },
  DF4041: { yes: ['FROM a:1\nRUN zypper -n install x=1'], no: ['FROM a:1\nRUN zypper -n install x=1 && zypper clean'] },
  DF4042: { yes: ['FROM a:1\nRUN zypper -n install x'], no: ['FROM a:1\nRUN zypper -n install x=1 y\\>=2'] },
  DF4043: { yes: ['FROM a:1\nRUN wget -q x\nRUN curl -fsS y'], no: ['FROM a:1\nRUN curl -fsS y'] },
  DF4044: { yes: ['FROM a:1\nRUN ln -sf /bin/bash /bin/sh'], no: ['FROM a:1\nRUN ln -s /bin/sh /usr/local/bin/x'] },
  DF4045: { yes: ['FROM a:1\nRUN service nginx start'], no: ['FROM a:1\nRUN apt-get install -y openssh-client=1'] },
  DF4046: { yes: ['FROM a:1\nRUN wget https://x/y'], no: ['FROM a:1\nRUN wget -q https://x/y', 'FROM a:1\nRUN wget --progress=dot:giga https://x/y'] },
  DF4047: { yes: ['FROM a:1\nRUN a\nRUN b'], no: ['FROM a:1\nRUN a && b\nRUN c', 'FROM a:1\nRUN a\nWORKDIR /\nRUN b'] },
  DF4048: { yes: ['FROM a:1 AS context'], no: ['FROM a:1 AS build'] },
};

function run(ruleId: string, c: string | Case): string[] {
  const rule = DOCKERFILE_RULES.find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const cc: Case = typeof c === 'string' ? { df: c } : c;
  return lintDockerfile(cc.df, {
    file: 'Dockerfile',
    rules: [rule],
    hasDockerignore: cc.dockerignore ?? 'unknown',
    ...(cc.config ? { config: parseLintConfig(cc.config) } : {}),
  }).map((f) => f.ruleId);
}

describe('Dockerfile rules', () => {
  it('every registered rule has trigger and non-trigger cases here', () => {
    for (const r of DOCKERFILE_RULES) {
      expect(CASES[r.id]?.yes.length ?? 0, r.id).toBeGreaterThan(0);
      expect(CASES[r.id]?.no.length ?? 0, r.id).toBeGreaterThan(0);
    }
  });

  for (const [id, { yes, no }] of Object.entries(CASES)) {
    describe(id, () => {
      it.each(yes.map((c) => [typeof c === 'string' ? c : c.df, c] as const))('triggers: %j', (_t, c) => {
        expect(run(id, c)).toContain(id);
      });
      it.each(no.map((c) => [typeof c === 'string' ? c : c.df, c] as const))('does not trigger: %j', (_t, c) => {
        expect(run(id, c)).toEqual([]);
      });
    });
  }
});

describe('suppressions and configuration', () => {
  const df = 'FROM debian:12\n# why: vendor installer, checksum pinned upstream\n# tollgate ignore=DF1001,pipefail\nRUN curl https://x | sh\nRUN curl https://y | sh\n';

  it('drops findings named by a # tollgate ignore= comment block above the instruction (id or slug)', () => {
    const f = lintDockerfile(df, { file: 'Dockerfile' });
    expect(f.filter((x) => x.ruleId === 'DF1001').map((x) => x.range.startLine)).toEqual([5]);
    expect(f.filter((x) => x.ruleId === 'DF4025').map((x) => x.range.startLine)).toEqual([5]);
  });

  it('honours # hadolint ignore= for the rules that correspond to those hadolint rules', () => {
    const f = lintDockerfile('FROM debian:12\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y curl\n', { file: 'Dockerfile' });
    expect(f.map((x) => x.ruleId).filter((id) => id === 'DF4001' || id === 'DF4002')).toEqual([]);
  });

  it('keeps them, marked, when asked (SARIF suppressions)', () => {
    const f = lintDockerfile(df, { file: 'Dockerfile', keepSuppressed: true }).filter((x) => x.ruleId === 'DF1001');
    expect(f.map((x) => x.suppressed?.kind ?? 'none')).toEqual(['inline', 'none']);
  });

  it('config changes severities and switches rules off, by id or slug', () => {
    const config = parseLintConfig({ rules: { DF1001: 'warning', 'base-not-pinned-by-digest': 'off' } });
    const f = lintDockerfile('FROM debian:12\nRUN curl https://x | sh\n', { file: 'Dockerfile', config });
    expect(f.find((x) => x.ruleId === 'DF1001')?.severity).toBe('warning');
    expect(f.some((x) => x.ruleId === 'DF2001')).toBe(false);
  });

  it('config is strict: unknown keys and bad levels are CONFIG_INVALID', () => {
    expect(() => parseLintConfig({ rulez: {} })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => parseLintConfig({ rules: { DF1001: 'fatal' } })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => parseLintConfig({ allowlists: { hosts: [] } })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('findings carry the hadolint equivalent and docs page', () => {
    const f = lintDockerfile('FROM debian:latest\n', { file: 'x/Dockerfile' }).find((x) => x.ruleId === 'DF2003');
    expect(f?.peers).toEqual([{ tool: 'hadolint', id: 'DL3007' }]);
    expect(f?.docsUrl).toBe('docs/rules/DF2003.md');
    expect(f?.range).toEqual({ startLine: 1, startCol: 1, endLine: 1, endCol: 19 });
  });

  it('refuses oversized input with LIMIT_FILE_SIZE', () => {
    expect(() => lintDockerfile('#'.repeat(2 * 1024 * 1024), { file: 'Dockerfile' })).toThrow(expect.objectContaining({ code: 'LIMIT_FILE_SIZE' }));
  });
});
