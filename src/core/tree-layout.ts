// Where osvconf's files live in an OSv tree. OSv's make reads conf/profiles/<arch>/<name>.mk and,
// given conf_dot_file=, copies the Kconfig file to build/<mode>.<arch>/.config and derives
// kernel.conf, kernel_config.h, the per-option headers and kernel_conf.mk itself (DESIGN §10).
// osvconf's own files sit in conf/osvconf/, outside build/, so that `make clean` keeps them.

export interface Target {
  readonly arch: string;
  readonly mode: string;
}

export const OSVCONF_DIR = 'conf/osvconf';

export const buildDir = (t: Target): string => `build/${t.mode}.${t.arch}`;
/** The Kconfig file handed to OSv's make as conf_dot_file=. */
export const dotConfigPath = (t: Target): string => `${OSVCONF_DIR}/${t.mode}.${t.arch}.config`;
/** The saved configuration, osvconf's single source of truth. */
export const SAVED_SUFFIX = '.osvconf';
export const savedConfigPath = (t: Target): string => `${OSVCONF_DIR}/${t.mode}.${t.arch}${SAVED_SUFFIX}`;
export const profilePath = (arch: string, name: string): string => `conf/profiles/${arch}/${name}.mk`;
