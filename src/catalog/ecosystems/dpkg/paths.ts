/** Where dpkg databases and the files they point at live (shared by the descriptor and the implementation). */
// Anywhere in the tree, as syft globs (**/lib/dpkg/status): chroots and unpacked roots count too.
export const STATUS_FILE = /\/lib\/(?:dpkg|opkg)\/status$/;
export const STATUS_D = /\/lib\/dpkg\/status\.d\/[^/]+$/;
export const INFO_LIST = /\/lib\/dpkg\/info\/[^/]+\.list$/;
export const COPYRIGHT = /\/usr\/share\/doc\/[^/]+\/copyright$/;

export function isStatusD(path: string): boolean {
  return STATUS_D.test(path);
}

/** The root a dpkg database belongs to: '' for '/var/lib/dpkg/status', '/pkgs' for '/pkgs/var/lib/dpkg/…'. */
export function rootOf(path: string): string {
  const match = /^(.*?)(?:\/var|\/usr)?\/lib\/(?:dpkg|opkg)\//.exec(path) ?? /^(.*?)\/usr\/share\/doc\//.exec(path);
  return match?.[1] ?? '';
}
