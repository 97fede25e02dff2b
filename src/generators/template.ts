// The precompiled ejs templates of gen/, by name (the file name without .ejs), each typed by the
// locals its first line declares.
import { templates, type TemplateLocals } from '../generated/templates.js';

export type TemplateName = keyof TemplateLocals;

export function renderTemplate<K extends TemplateName>(name: K, locals: TemplateLocals[K]): string {
  return (templates[name] as (locals: TemplateLocals[K]) => string)(locals);
}
