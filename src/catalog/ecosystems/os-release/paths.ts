/** In order of preference: os-release first, then distro-specific fallbacks. */
export const FILES = ['/etc/os-release', '/usr/lib/os-release', '/etc/alpine-release', '/etc/redhat-release', '/etc/centos-release', '/etc/system-release', '/etc/debian_version'];
