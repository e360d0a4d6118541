/**
 * zod for the whole project: its tree-shakable API (zod/mini: the schemas bundle to ~65 KB instead of
 * ~750 KB and load in a few ms, which every CLI start-up pays), with English messages registered once
 * as zod classic does (zod/mini registers no locale: every issue would read "Invalid input"), unless a
 * locale was chosen already. Import `z` from here, never from 'zod' directly.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { globalConfig } from 'zod/v4/core';

if (globalConfig.localeError === undefined) z.config(en());

export { z };
