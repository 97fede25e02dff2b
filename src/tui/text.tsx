// The configurator's Text: ink's, with every string it draws made safe for the terminal
// (core/format.ts terminalText). App and components import Text from here, never from ink, so
// that a profile's description or a loaded file's value can never send an escape sequence.
import { Text as InkText } from 'ink';
import type { ComponentProps, ReactNode } from 'react';
import { terminalText } from '../core/format.js';

const safe = (node: ReactNode): ReactNode => (typeof node === 'string' ? terminalText(node) : Array.isArray(node) ? node.map(safe) : node);

export function Text(props: ComponentProps<typeof InkText>) {
  return <InkText {...props}>{safe(props.children)}</InkText>;
}
