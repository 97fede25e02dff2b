#!/usr/bin/env python3
# Key-to-frame latency of a terminal program, measured through a real pseudo-terminal (the way a
# terminal emulator talks to it). Used by bench/run.mjs for osvconf's configurator and its
# terminal peer side by side.
#
# usage: pty-keys.py SPEC.json
#   SPEC: {"argv": [...], "cwd": DIR, "env": {...}, "unset": [NAME...], "cols": 80, "rows": 24,
#          "ready": TEXT, "setup": [KEY...], "measure": {"label": [KEY...], ...}}
# Starts argv on a pty of cols x rows, waits until TEXT has been drawn, sends the setup keys,
# then each measured key alone: latency = from writing the key to the last byte of the redraw
# it causes (the redraw ends when the program has been silent for QUIET seconds, longer than
# any render throttle; a key that draws nothing within DEADLINE counts as a failure). Prints
# JSON: {"first_frame_ms": n, "keys": {"label": [ms...]}, "no_redraw": {"label": n},
# "max_rss_kib": VmHWM of the program}.
import json
import os
import pty
import select
import signal
import struct
import sys
import fcntl
import termios
import time

QUIET = 0.06
DEADLINE = 3.0
GAP = 0.02  # between keys, so each key meets a program at rest


def read_for(fd, seconds):
    """Everything the program writes within `seconds`, with the time of its last chunk."""
    end = time.monotonic() + seconds
    data = b''
    last = None
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return data, last
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return data, last
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return data, last
        if not chunk:
            return data, last
        data += chunk
        last = time.monotonic()


def until_quiet(fd, started):
    """Reads a redraw: the first byte within DEADLINE, then until QUIET passes without output."""
    ready, _, _ = select.select([fd], [], [], DEADLINE)
    if not ready:
        return None, b''
    data, last = b'', None
    while True:
        more, when = read_for(fd, QUIET)
        if when is None:
            break
        data += more
        last = when
    if last is None:  # ready, but the program had ended (end of file): no redraw
        return None, b''
    return (last - started) * 1000, data


def first_chunk_then_quiet(fd):
    data = b''
    last = None
    while True:
        more, when = read_for(fd, QUIET)
        if when is None:
            return data, last
        data += more
        last = when


def main():
    spec = json.load(open(sys.argv[1]))
    env = dict(os.environ)
    env.update(spec.get('env', {}))
    for name in spec.get('unset', []):
        env.pop(name, None)
    env['TERM'] = env.get('TERM', 'xterm-256color') if env.get('TERM', '') not in ('', 'dumb') else 'xterm-256color'
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', spec['rows'], spec['cols'], 0, 0))
        os.chdir(spec.get('cwd', '.'))
        os.execvpe(spec['argv'][0], spec['argv'], env)
    screen = b''
    ready = spec['ready'].encode()
    first = None
    while first is None:
        chunk, when = read_for(fd, 10.0)
        if when is None:
            print(json.dumps({'error': 'the program never drew ' + spec['ready'], 'output': screen[-400:].decode('utf8', 'replace')}))
            os.kill(pid, signal.SIGKILL)
            return 1
        screen += chunk
        if ready in screen:
            first = (when - started) * 1000
    first_chunk_then_quiet(fd)
    for key in spec.get('setup', []):
        os.write(fd, key.encode())
        until_quiet(fd, time.monotonic())
    results = {}
    misses = {}
    for label, keys in spec['measure'].items():
        results[label] = []
        misses[label] = 0
        for key in keys:
            time.sleep(GAP)
            t0 = time.monotonic()
            os.write(fd, key.encode())
            ms, _ = until_quiet(fd, t0)
            if ms is None:
                misses[label] += 1
            else:
                results[label].append(ms)
    rss = None
    try:
        for line in open(f'/proc/{pid}/status'):
            if line.startswith('VmHWM:'):
                rss = int(line.split()[1])
    except OSError:
        pass
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    print(json.dumps({'first_frame_ms': first, 'keys': results, 'no_redraw': misses, 'max_rss_kib': rss}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
