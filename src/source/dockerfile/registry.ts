import type { Rule } from './rule.ts';
import { df1001 } from './rules/df1001-remote-script-piped-to-shell.ts';
import { df1002 } from './rules/df1002-add-from-url.ts';
import { df1003 } from './rules/df1003-download-host-not-allowed.ts';
import { df1004 } from './rules/df1004-package-from-url.ts';
import { df1005 } from './rules/df1005-tls-verification-disabled.ts';
import { df1006 } from './rules/df1006-unauthenticated-packages.ts';
import { df1007 } from './rules/df1007-secret-in-build-config.ts';
import { df1008 } from './rules/df1008-copy-context-without-dockerignore.ts';
import { df2001 } from './rules/df2001-base-not-pinned-by-digest.ts';
import { df2002 } from './rules/df2002-base-untagged.ts';
import { df2003 } from './rules/df2003-base-latest.ts';
import { df2004 } from './rules/df2004-base-registry-not-allowed.ts';
import { df2005 } from './rules/df2005-heavyweight-base.ts';
import { df2006 } from './rules/df2006-from-platform-flag.ts';
import { df3001 } from './rules/df3001-last-user-root.ts';
import { df3002 } from './rules/df3002-no-user-in-final-stage.ts';
import { df3003 } from './rules/df3003-build-tooling-in-final-stage.ts';
import { df3004 } from './rules/df3004-no-healthcheck.ts';
import { df3005 } from './rules/df3005-multiple-healthcheck.ts';
import { df4001 } from './rules/df4001-apt-get-pin-versions.ts';
import { df4002 } from './rules/df4002-apt-no-install-recommends.ts';
import { df4003 } from './rules/df4003-apt-lists-not-cleaned.ts';
import { df4004 } from './rules/df4004-apt-get-yes.ts';
import { df4005 } from './rules/df4005-apt-not-apt-get.ts';
import { df4006 } from './rules/df4006-apk-pin-versions.ts';
import { df4007 } from './rules/df4007-apk-no-cache.ts';
import { df4008 } from './rules/df4008-dnf-cache-not-cleaned.ts';
import { df4009 } from './rules/df4009-dnf-pin-versions.ts';
import { df4010 } from './rules/df4010-yum-cache-not-cleaned.ts';
import { df4011 } from './rules/df4011-yum-pin-versions.ts';
import { df4012 } from './rules/df4012-pip-pin-versions.ts';
import { df4013 } from './rules/df4013-pip-no-cache-dir.ts';
import { df4014 } from './rules/df4014-npm-pin-versions.ts';
import { df4015 } from './rules/df4015-sudo.ts';
import { df4016 } from './rules/df4016-cd-use-workdir.ts';
import { df4017 } from './rules/df4017-relative-workdir.ts';
import { df4018 } from './rules/df4018-maintainer-deprecated.ts';
import { df4019 } from './rules/df4019-multiple-cmd.ts';
import { df4020 } from './rules/df4020-multiple-entrypoint.ts';
import { df4021 } from './rules/df4021-copy-from-own-stage.ts';
import { df4022 } from './rules/df4022-duplicate-stage-name.ts';
import { df4023 } from './rules/df4023-json-cmd-entrypoint.ts';
import { df4024 } from './rules/df4024-useradd-without-l.ts';
import { df4025 } from './rules/df4025-pipefail.ts';
import { df4026 } from './rules/df4026-add-local-file.ts';
import { df4027 } from './rules/df4027-expose-port-range.ts';
import { df4028 } from './rules/df4028-yum-assume-yes.ts';
import { df4029 } from './rules/df4029-dnf-assume-yes.ts';
import { df4030 } from './rules/df4030-gem-pin-versions.ts';
import { df4031 } from './rules/df4031-go-install-pin.ts';
import { df4032 } from './rules/df4032-yarn-cache-clean.ts';
import { df4033 } from './rules/df4033-copy-multiple-sources-dest.ts';
import { df4034 } from './rules/df4034-copy-from-unknown-stage.ts';
import { df4035 } from './rules/df4035-onbuild-forbidden-trigger.ts';
import { df4036 } from './rules/df4036-env-self-reference.ts';
import { df4037 } from './rules/df4037-copy-relative-dest-without-workdir.ts';
import { df4038 } from './rules/df4038-instruction-order.ts';
import { df4039 } from './rules/df4039-zypper-non-interactive.ts';
import { df4040 } from './rules/df4040-zypper-dist-upgrade.ts';
import { df4041 } from './rules/df4041-zypper-cache-not-cleaned.ts';
import { df4042 } from './rules/df4042-zypper-pin-versions.ts';
import { df4043 } from './rules/df4043-wget-and-curl.ts';
import { df4044 } from './rules/df4044-shell-via-symlink.ts';
import { df4045 } from './rules/df4045-pointless-command.ts';
import { df4046 } from './rules/df4046-wget-progress.ts';
import { df4047 } from './rules/df4047-consecutive-run.ts';
import { df4048 } from './rules/df4048-reserved-stage-name.ts';

/** The one table of Dockerfile rules, in id order. Ids are stable and never reused. */
export const DOCKERFILE_RULES: readonly Rule[] = Object.freeze([
  df1001, df1002, df1003, df1004, df1005, df1006, df1007, df1008,
  df2001, df2002, df2003, df2004, df2005, df2006,
  df3001, df3002, df3003, df3004, df3005,
  df4001, df4002, df4003, df4004, df4005, df4006, df4007, df4008, df4009, df4010,
  df4011, df4012, df4013, df4014, df4015, df4016, df4017, df4018, df4019, df4020,
  df4021, df4022, df4023, df4024, df4025, df4026, df4027, df4028, df4029, df4030,
  df4031, df4032, df4033, df4034, df4035, df4036, df4037, df4038, df4039, df4040,
  df4041, df4042, df4043, df4044, df4045, df4046, df4047, df4048,
]);

/** File name (without .ts) of each rule in rules/, for the folder/table agreement test. */
export function ruleFileStem(rule: Rule): string {
  return `${rule.id.toLowerCase()}-${rule.slug}`;
}
