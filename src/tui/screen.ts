// The alternate screen (as menuconfig uses): the configurator's frames leave the scrollback as it
// was, and the exit summary is printed on the normal screen. The CLI enters it and draws a first
// line before it loads the configurator's bundle, so something shows at once (cli/main.ts writes
// that line: the CLI may not import the TUI's modules, so it spells the same sequence).
export const ALTERNATE_SCREEN = '\x1b[?1049h';
export const NORMAL_SCREEN = '\x1b[?1049l';
/** Clears the loading line just before the first frame is drawn over it. */
export const FIRST_FRAME = '\x1b[H\x1b[2K';
