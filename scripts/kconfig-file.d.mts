/** conf/kconfig.json as a Kconfig file for one arch and mode (scripts/kconfig-file.mjs). */
export function kconfigFile(root: string, arch: string, mode: string): string;
