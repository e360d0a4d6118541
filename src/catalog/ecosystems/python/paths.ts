/** Installed-distribution metadata and file lists (shared by the descriptor and the implementation). */
export const METADATA = /\/[^/]*(?:dist-info\/METADATA|egg-info\/PKG-INFO)$/i;
export const OWNERSHIP = /\/[^/]*(?:dist-info\/RECORD|egg-info\/installed-files\.txt)$/i;
export const EGG_FILE = /\/[^/]+\.egg-info$/i;
