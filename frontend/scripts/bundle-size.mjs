#!/usr/bin/env node
// The JavaScript the first screen needs: the entry chunk and everything it imports statically
// (dynamic imports — route pages, MSAL — load later or never). Reads Vite's build manifest,
// sums gzip sizes and fails above a limit.
//   node scripts/bundle-size.mjs [--max-kb 250] [--dist dist]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i !== -1 && process.argv[i + 1]) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : fallback;
}

const dist = resolve(arg('dist', 'dist'));
const maxKb = Number(arg('max-kb', '250'));
if (!Number.isFinite(maxKb) || maxKb <= 0) {
  console.error(`--max-kb must be a positive number, got "${arg('max-kb')}"`);
  process.exit(2);
}
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`${manifestPath} not found: run \`npm run build\` first (build.manifest must be on).`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (!entries.length) {
  console.error('The manifest has no entry chunk.');
  process.exit(2);
}

/** Every chunk reachable from the entries through static imports, entry first. */
function staticClosure(keys) {
  const seen = new Set();
  const order = [];
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest names ${key} but has no entry for it`);
    order.push(key);
    for (const next of chunk.imports ?? []) visit(next);
  };
  keys.forEach(visit);
  return order;
}

const gzipKb = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1024;
const rawKb = (file) => readFileSync(join(dist, file)).length / 1024;

const keys = staticClosure(entries.map(([key]) => key));
const rows = keys.map((key) => {
  const file = manifest[key].file;
  return { chunk: file, source: key, raw: rawKb(file), gzip: gzipKb(file) };
});
const total = rows.reduce((sum, r) => sum + r.gzip, 0);
const css = [...new Set(keys.flatMap((k) => manifest[k].css ?? []))];
const cssGzip = css.reduce((sum, f) => sum + gzipKb(f), 0);

const pad = (s, n) => String(s).padEnd(n);
const num = (n) => n.toFixed(2).padStart(9);
const width = Math.max(...rows.map((r) => r.chunk.length), 'chunk'.length) + 2;
console.log(`JavaScript the first screen loads (entry + static imports), from ${manifestPath}:\n`);
console.log(`${pad('chunk', width)}${'raw kB'.padStart(9)} ${'gzip kB'.padStart(9)}  source`);
for (const r of rows) console.log(`${pad(r.chunk, width)}${num(r.raw)} ${num(r.gzip)}  ${r.source}`);
console.log(`${pad('total', width)}${' '.repeat(9)} ${num(total)}`);

const lazy = Object.entries(manifest)
  .filter(([key, chunk]) => !keys.includes(key) && chunk.file.endsWith('.js'))
  .map(([, chunk]) => chunk.file);
console.log(`\nCSS for it: ${cssGzip.toFixed(2)} kB gzip (${css.length} file${css.length === 1 ? '' : 's'}).`);
console.log(`Loaded later or never (dynamic imports): ${lazy.length} chunks, ${lazy.reduce((s, f) => s + gzipKb(f), 0).toFixed(2)} kB gzip.`);

if (total > maxKb) {
  console.error(`\nFAIL: ${total.toFixed(2)} kB gzip is over the ${maxKb} kB limit.`);
  process.exit(1);
}
console.log(`\nOK: ${total.toFixed(2)} kB gzip, under the ${maxKb} kB limit.`);
