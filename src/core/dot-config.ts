// Reads a Kconfig .config as OSv's tools write it (and osvconf does): CONF_x=y, `# CONF_x is not
// set`, raw ints/hex, quoted strings with \" and \\ escapes; the driver-profile choice is the
// CONF_<choice>_<profile>=y line.

export interface DotConfig {
  /** Option name (without CONF_) -> value as .config stores it (y/n for bools). */
  readonly values: ReadonlyMap<string, string>;
  /** The chosen value of the choice, when a line selects one. */
  readonly choice?: string;
  /** Names written `# CONF_x is not set`: their value is n only for a bool (fromDotConfig). */
  readonly unset?: ReadonlySet<string>;
}

export function parseDotConfig(text: string, choiceName: string): DotConfig {
  const values = new Map<string, string>();
  const unset = new Set<string>();
  let choice: string | undefined;
  for (const read of text.split('\n')) {
    const line = read.endsWith('\r') ? read.slice(0, -1) : read; // a file saved with CRLF line ends
    const off = /^# CONF_([A-Za-z0-9_-]+) is not set$/.exec(line);
    if (off !== null) {
      if (!(off[1] as string).startsWith(`${choiceName}_`)) {
        values.set(off[1] as string, 'n');
        unset.add(off[1] as string);
      }
      continue;
    }
    const set = /^CONF_([A-Za-z0-9_-]+)=(.*)$/.exec(line);
    if (set === null) continue;
    const [name, raw] = [set[1] as string, set[2] as string];
    if (name.startsWith(`${choiceName}_`)) {
      if (raw === 'y') choice = name.slice(choiceName.length + 1);
      continue;
    }
    unset.delete(name);
    values.set(name, raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1).replace(/\\(["\\])/g, '$1') : raw);
  }
  return { values, unset, ...(choice === undefined ? {} : { choice }) };
}
