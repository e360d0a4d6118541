/**
 * Lab image recipes. Changing anything here changes the recipe hash, so the next
 * build rebuilds (old builds of the same name are pruned).
 */
export interface Recipe {
  readonly name: string;
  readonly description: string;
  /** Another recipe whose root filesystem is the starting point. */
  readonly base?: string;
  /** Debian bookworm packages to install (apt-get download + dpkg -x + dpkg status). */
  readonly debs: readonly string[];
  /** Real npm packages installed into /app/node_modules by `npm install`. */
  readonly npm?: Readonly<Record<string, string>>;
  /** Copies of files inside the rootfs that no package manager owns (e.g. a Go binary in /usr/local/bin). */
  readonly unowned?: ReadonlyArray<{ readonly from: string; readonly to: string }>;
}

/** ~36 essential Debian packages: real package data, a working /bin/sh for RUN steps. */
const DEBIAN_BASE = [
  'base-files', 'base-passwd', 'bash', 'coreutils', 'dash', 'debianutils', 'diffutils', 'dpkg', 'findutils',
  'grep', 'gzip', 'hostname', 'libacl1', 'libattr1', 'libbz2-1.0', 'libc-bin', 'libc6', 'libcrypt1',
  'libgcc-s1', 'libgmp10', 'liblzma5', 'libmd0', 'libpcre2-8-0', 'libselinux1', 'libtinfo6', 'libzstd1',
  'mawk', 'ncurses-base', 'sed', 'tar', 'zlib1g', 'ca-certificates', 'openssl', 'libssl3', 'debconf',
  'sensible-utils',
] as const;

/** Debian python3-* packages: real dist-info / egg-info metadata as ground truth for the Python cataloguer. */
const PYTHON_PACKAGES = [
  'python3-six', 'python3-idna', 'python3-certifi', 'python3-urllib3', 'python3-chardet',
  'python3-charset-normalizer', 'python3-requests',
] as const;

/** The npm packages of node-app (real nested node_modules from conflicting versions). */
const NODE_APP_NPM: Readonly<Record<string, string>> = {
  express: '^4.21.0',
  lodash: '^4.17.21',
  debug: '^4.3.4',
  ms: '^2.1.3',
  chalk: '^4.1.2',
  '@babel/code-frame': '^7.24.0',
  semver: '^7.6.0',
};

export const RECIPES: Readonly<Record<string, Recipe>> = Object.freeze({
  'debian-base': {
    name: 'debian-base',
    description: 'Debian bookworm root filesystem from real packages (no debootstrap)',
    debs: DEBIAN_BASE,
  },
  'node-app': {
    name: 'node-app',
    description: 'debian-base + a real node_modules (nested conflicting versions) + Debian python3 packages',
    base: 'debian-base',
    debs: PYTHON_PACKAGES,
    // debug@4 and ms@2.1 at the top level conflict with express@4's debug@2.6.9 / ms@2.0.0,
    // so npm nests those under express/, body-parser/, send/… (real nested node_modules).
    npm: NODE_APP_NPM,
  },
  'debian-vuln': {
    name: 'debian-vuln',
    description: 'debian-base with OLDER bookworm uploads of curl, openssl, expat and libxml2 (real CVEs fixed by later uploads)',
    // Still served by bookworm / bookworm-updates / bookworm-security (`apt-cache madison`).
    debs: [
      ...DEBIAN_BASE.filter((name) => name !== 'openssl' && name !== 'libssl3'),
      'openssl=3.0.17-1~deb12u2', 'libssl3=3.0.17-1~deb12u2',
      'curl=7.88.1-10+deb12u5', 'libcurl4=7.88.1-10+deb12u5',
      'libexpat1=2.5.0-1+deb12u2', 'libxml2=2.9.14+dfsg-1.3~deb12u4',
    ],
  },
  big: {
    name: 'big',
    description: '~150 MB benchmark image: node-app + Go binaries (skopeo, docker-registry, and one in /usr/local/bin no package owns) + TypeScript',
    base: 'node-app',
    debs: ['skopeo', 'docker-registry'],
    // big's own npm install replaces node-app's node_modules: the same packages plus TypeScript
    npm: { ...NODE_APP_NPM, typescript: '^5.6.0' },
    unowned: [{ from: '/usr/bin/docker-registry', to: '/usr/local/bin/registry' }],
  },
});

export function recipe(name: string): Recipe {
  const found = RECIPES[name];
  if (found === undefined) throw new Error(`unknown lab image "${name}"; known: ${Object.keys(RECIPES).join(', ')}`);
  return found;
}

/**
 * The Dockerfile built FROM the imported root filesystem. It exercises every layer feature
 * the image model must handle: added files, a deleted base file (whiteout), a replaced
 * directory (opaque dir), a symlink, a hard link, a setuid file, USER, WORKDIR, ENTRYPOINT,
 * CMD, ENV, LABEL and HEALTHCHECK (docker format).
 */
export function dockerfile(baseRef: string, name: string, key: string): string {
  return `FROM ${baseRef}
LABEL org.opencontainers.image.title="tollgate-lab-${name}" org.tollgate.lab.recipe="${key}"
ENV LAB_IMAGE=${name} APP_HOME=/app
COPY files/ /opt/lab/
RUN rm /etc/issue.net
RUN rm -rf /usr/share/doc/base-passwd && mkdir /usr/share/doc/base-passwd && echo replaced > /usr/share/doc/base-passwd/README.lab
RUN ln -s /opt/lab/hello.txt /opt/lab/hello-link && ln /opt/lab/hello.txt /opt/lab/hello-hard \\
 && mkdir -p /usr/local/bin && cp /bin/true /usr/local/bin/lab-suid && chmod 4755 /usr/local/bin/lab-suid \\
 && echo 'app:x:1000:1000:app:/app:/bin/sh' >> /etc/passwd && echo 'app:x:1000:' >> /etc/group \\
 && mkdir -p /app && chown 1000:1000 /app
HEALTHCHECK --interval=30s --timeout=3s CMD ["/bin/true"]
USER app
WORKDIR /app
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo hello from tollgate lab"]
`;
}

/** Files COPY'd into /opt/lab/ by the Dockerfile. */
export const CONTEXT_FILES: Readonly<Record<string, string>> = Object.freeze({
  'hello.txt': 'hello from the tollgate lab\n',
  'config/app.json': '{"name":"lab","port":8080}\n',
});
