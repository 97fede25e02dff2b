// TypeScript types derived from the JSON Schemas in conf/schema/, so the code that reads a data
// file is typed by the same document that validates it (a schema change that the code does not
// follow fails tsc). Covers the draft-07 subset the schemas use: type (one or several), enum,
// properties/required, additionalProperties, items, $ref to #/definitions, oneOf/anyOf. Keywords
// that only narrow values (pattern, minimum, if/then, propertyNames) have no type of their own.

const pascal = (s) => s.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9])/g, (_, __, c) => c.toUpperCase());

/** `<Kind>Json` for a schema file `<kind>.schema.json`; its definitions `<Kind><Def>Json`. */
export const typeName = (kind, def) => `${pascal(kind)}${def === undefined ? '' : pascal(def)}Json`;

function typeOf(schema, kind, indent) {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === false) return 'never';
  if (typeof schema.$ref === 'string') {
    const m = /^#\/definitions\/([^/]+)$/.exec(schema.$ref);
    if (m === null) throw new Error(`${kind}.schema.json: $ref ${schema.$ref} is not #/definitions/<name>`);
    return typeName(kind, m[1]);
  }
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives)) return alternatives.map((s) => `(${typeOf(s, kind, indent)})`).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.map((t) => single(schema, t, kind, indent)).join(' | ');
}

function single(schema, type, kind, indent) {
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `readonly (${typeOf(schema.items, kind, indent)})[]`;
    case 'object':
    case undefined:
      return objectType(schema, kind, indent);
    default:
      throw new Error(`${kind}.schema.json: type ${type} has no TypeScript form here`);
  }
}

function objectType(schema, kind, indent) {
  const required = new Set(schema.required ?? []);
  const inner = indent + '  ';
  const lines = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (name === '$schema') continue;
    const doc = typeof prop.description === 'string' ? `${inner}/** ${prop.description.replace(/\*\//g, '* /')} */\n` : '';
    lines.push(
      `${doc}${inner}readonly ${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name)}${required.has(name) ? '' : '?'}: ${typeOf(prop, kind, inner)};`,
    );
  }
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) lines.push(`${inner}readonly [key: string]: ${typeOf(extra, kind, inner)};`);
  if (lines.length === 0) return extra === false ? 'Record<string, never>' : 'Readonly<Record<string, unknown>>';
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** The TypeScript source declaring one type per schema and per definition, readonly throughout. */
export function schemaTypes(schemas) {
  let out = '';
  for (const [kind, schema] of schemas) {
    for (const [def, sub] of Object.entries(schema.definitions ?? {})) out += `export type ${typeName(kind, def)} = ${typeOf(sub, kind, '')};\n`;
    const title = typeof schema.title === 'string' ? `/** ${schema.title} (conf/schema/${kind}.schema.json) */\n` : '';
    out += `${title}export type ${typeName(kind)} = ${typeOf(schema, kind, '')};\n\n`;
  }
  return out;
}
