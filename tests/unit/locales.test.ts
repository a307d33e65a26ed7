/**
 * Every locale says everything English says, with the same placeholders: a key missing from a
 * translation would show the extension's internal name for it, a lost $1 would drop a value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseYAML } from 'confbox';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../../locales/', import.meta.url);
const load = (file: string) => parseYAML(readFileSync(new URL(file, DIR), 'utf8')) as Record<string, string | Record<string, string>>;

/** key (with plural form) → the placeholders it uses, sorted. */
function shape(messages: Record<string, string | Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(messages)) {
    const forms = typeof value === 'string' ? { '': value } : value;
    for (const [form, text] of Object.entries(forms)) out[form ? `${key}.${form}` : key] = [...String(text).matchAll(/\$\d/g)].map((m) => m[0]).sort().join(' ');
  }
  return out;
}

describe('locales', () => {
  const english = shape(load('en.yml'));
  const others = readdirSync(DIR).filter((f) => f.endsWith('.yml') && f !== 'en.yml');

  it('include a second language', () => {
    expect(others).toContain('fr.yml');
  });

  it('has a message for every error code lib/ gives the user', () => {
    const codes = new Set<string>();
    const walk = (dir: URL) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(new URL(`${entry.name}/`, dir));
        else if (entry.name.endsWith('.ts')) {
          for (const m of readFileSync(new URL(entry.name, dir), 'utf8').matchAll(/new (?:UserError|InviteError|BackupError)\('([A-Za-z]+)'/g)) codes.add(m[1]);
        }
      }
    };
    walk(new URL('../../lib/', import.meta.url));
    expect(codes.size).toBeGreaterThan(5);
    for (const code of codes) expect(english, code).toHaveProperty([code]);
  });

  it.each(others)('%s has every English message with the same placeholders, and no others', (file) => {
    expect(shape(load(file))).toEqual(english);
  });
});
