// The precompiled ejs templates of gen/, by name (the file name without .ejs).
import { templates } from '../generated/templates.js';

export function renderTemplate(name: string, locals: unknown): string {
  const render = templates[name];
  if (render === undefined) throw new Error(`no template gen/${name}.ejs`);
  return render(locals);
}
