// The link-and-size matrix (conf/<arch>/builds.json): kernels built from OSv's source, each with
// one or more settings changed. osvconf must judge each as its real link was (--strict passes what
// linked and refuses what did not, naming what ld named), and estimate each kernel that linked
// within the model's stated uncertainty. The data says how each build was made.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, osvconf } from '../helpers/cli.js';

interface Build {
  name: string;
  args: string[];
  links: boolean;
  undefined?: string[];
  other_errors?: string[];
  stripped_bytes?: number;
}

for (const arch of ['x64', 'aarch64']) {
  const file = join(ROOT, 'conf', arch, 'builds.json');
  if (!existsSync(file)) continue;
  const data = JSON.parse(readFileSync(file, 'utf8')) as { osv_commit: string; builds: Build[] };
  describe(`${arch}: kernels built from OSv ${data.osv_commit.slice(0, 8)}`, () => {
    it('has builds that link and builds that do not', () => {
      expect(data.builds.some((b) => b.links)).toBe(true);
      expect(data.builds.some((b) => !b.links)).toBe(true);
    });
    for (const build of data.builds) {
      it(`${build.name}: ${build.links ? 'passes --strict, estimated within the stated uncertainty' : 'refused by --strict with what ld named'}`, () => {
        const run = osvconf([`--arch=${arch}`, ...build.args, '--strict', '--print=drivers_config.h']);
        if (build.links) {
          expect(run.code, run.stderr).toBe(0);
          const size = osvconf(['size', `--arch=${arch}`, ...build.args, '--compare=none', '--json']);
          expect(size.code, size.stderr).toBe(0);
          const out = JSON.parse(size.stdout) as { kernel_kib: number; uncertainty_pct: number };
          const measured = (build.stripped_bytes as number) / 1024;
          expect(
            Math.abs(out.kernel_kib - measured) / measured,
            `${build.name}: estimated ${out.kernel_kib.toFixed(1)} KiB, built ${measured.toFixed(1)} KiB`,
          ).toBeLessThanOrEqual(out.uncertainty_pct / 100);
        } else {
          expect(run.code).toBe(1);
          const named = (build.undefined ?? []).map((u) => u.split(' (')[0] as string);
          const said = named.some((n) => run.stderr.includes(n)) || (named.length === 0 && run.stderr.includes('discarded section'));
          expect(said, `${build.name}: ${run.stderr}`).toBe(true);
          expect(run.stderr).toContain('seen in a build');
        }
      });
    }
  });
}
