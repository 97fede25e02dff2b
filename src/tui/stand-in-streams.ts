// A terminal's streams as ink uses them, without a terminal: the build draws the configurator's
// first frame on them to check its bundle (rehearsal.ts).
import { EventEmitter } from 'node:events';

/**
 * A terminal's output: 80x24, keeps what is written. Not a TTY to cli-cursor, which would hide
 * the cursor on it and have the process show the real terminal's cursor at exit.
 */
export class StandInStdout extends EventEmitter {
  readonly isTTY = false;
  readonly columns = 80;
  readonly rows = 24;
  written = '';
  write(text: string): boolean {
    this.written += text;
    this.emit('written');
    return true;
  }
}

/** A terminal's input in raw mode: hands ink the keys pushed into it. */
export class StandInStdin extends EventEmitter {
  readonly isTTY = true;
  private keys: string[] = [];
  push(key: string): void {
    this.keys.push(key);
    this.emit('readable');
  }
  read(): string | null {
    return this.keys.shift() ?? null;
  }
  setEncoding(): void {}
  setRawMode(): void {}
  ref(): void {}
  unref(): void {}
  resume(): void {}
  pause(): void {}
}

/** A person at the stand-in terminal: presses q once `text` has been drawn. */
export function quitOnceDrawn(stdout: StandInStdout, stdin: StandInStdin, text: string): void {
  stdout.on('written', function quitOnce() {
    if (!stdout.written.includes(text)) return;
    stdout.off('written', quitOnce);
    setImmediate(() => stdin.push('q'));
  });
}
