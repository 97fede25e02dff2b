// npm test's pretest: builds dist/ only when something it is made from is newer than the last
// build (npm ci has just built it through prepare; a second build would only cost time). The
// stamp is written by a build that finished: an interrupted build leaves none, so the next runs.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.built');
const INPUTS = ['src', 'conf', 'gen', 'schemas', 'scripts', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.api.json'];

/** The newest modification time under a path (src/generated is the build's own output). */
function newest(path) {
  if (!existsSync(path) || path === join(root, 'src', 'generated')) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const inputs = Math.max(...INPUTS.map((p) => newest(join(root, p))));
if (inputs >= built) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
else console.log('dist/ is up to date with its sources: not built again');
