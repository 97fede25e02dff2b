// osvconf's own pipeline in-process (the same functions the CLI calls), for tests that run many cases.
import type { Bit } from '../../src/core/catalog.js';
import type { Result } from '../../src/core/result.js';
import { select, type Selection } from '../../src/core/select.js';
import { validate_profile } from '../../src/generated/validators.js';
import { loadArchCatalog, loadDefaults, profileSource } from '../../src/io/catalog-files.js';
import type { Validator } from '../../src/io/data-file.js';

export function selectWith(
  arch: string,
  profile: string,
  drivers: Record<string, Bit> = {},
  opts: { force?: boolean; strict?: boolean; kconfig?: Record<string, string>; options?: Record<string, string>; mode?: string; profilesDir?: string } = {},
): Result<Selection> {
  const defaults = loadDefaults();
  if (!defaults.ok) throw new Error(defaults.error.message);
  const catalog = loadArchCatalog(arch);
  if (!catalog.ok) throw new Error(catalog.error.message);
  const source = profileSource(
    catalog.value,
    defaults.value,
    opts.profilesDir === undefined ? undefined : { dir: opts.profilesDir, validate: validate_profile as Validator },
  );
  return select(
    {
      arch,
      mode: opts.mode ?? 'release',
      profile,
      drivers: new Map(Object.entries(drivers)),
      kconfig: new Map(Object.entries(opts.kconfig ?? {})),
      options: new Map(Object.entries(opts.options ?? {})),
      force: opts.force ?? false,
      strict: opts.strict ?? false,
    },
    catalog.value,
    source,
  );
}

export function mustSelect(...args: Parameters<typeof selectWith>): Selection {
  const r = selectWith(...args);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
