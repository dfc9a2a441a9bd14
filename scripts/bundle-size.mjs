// Prints the built JavaScript's size, raw and gzip; fails over the budget.
// The budget is for what every visitor downloads: the scripts index.html loads or preloads.
// Chunks fetched later (the derivation worker for big scenarios, the YAML editor when it
// opens) are reported on their own lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// 250 KB until IPv6 came to every layer (ip6tables, table ip6 kube-proxy, the two-family tracer): 253 KB then.
const BUDGET_GZIP = 265 * 1024;
const dir = 'dist/assets';
const html = readFileSync('dist/index.html', 'utf8');
const loadedFirst = new Set([...html.matchAll(/assets\/([^"']+\.js)/g)].map((m) => m[1]));
let initial = 0;
let lazy = 0;
for (const f of readdirSync(dir)
  .filter((x) => x.endsWith('.js'))
  .sort()) {
  const buf = readFileSync(join(dir, f));
  const gz = gzipSync(buf, { level: 9 }).length;
  const first = loadedFirst.has(f);
  if (first) initial += gz;
  else lazy += gz;
  const why = first ? '' : /Worker-/.test(f) ? '  (loaded only for big scenarios)' : '  (loaded when needed)';
  console.log(
    `${f.padEnd(36)} ${(buf.length / 1024).toFixed(1).padStart(8)} KB  ${(gz / 1024).toFixed(1).padStart(7)} KB gzip${why}`,
  );
}
console.log(
  `JS every visitor loads: ${(initial / 1024).toFixed(1)} KB gzip (budget ${BUDGET_GZIP / 1024} KB); loaded later when needed: ${(lazy / 1024).toFixed(1)} KB gzip`,
);
if (loadedFirst.size === 0 || initial === 0) {
  console.error('dist/index.html names no script: the size check would be meaningless');
  process.exit(1);
}
if (initial > BUDGET_GZIP) {
  console.error('over the JavaScript size budget');
  process.exit(1);
}
