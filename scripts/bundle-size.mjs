// Prints the built JavaScript's size, raw and gzip; fails over the budget.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP = 250 * 1024;
const dir = 'dist/assets';
let total = 0;
for (const f of readdirSync(dir).filter((x) => x.endsWith('.js')).sort()) {
  const buf = readFileSync(join(dir, f));
  const gz = gzipSync(buf, { level: 9 }).length;
  total += gz;
  console.log(`${f.padEnd(36)} ${(buf.length / 1024).toFixed(1).padStart(8)} KB  ${(gz / 1024).toFixed(1).padStart(7)} KB gzip`);
}
console.log(`total JS: ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET_GZIP / 1024} KB)`);
if (total > BUDGET_GZIP) {
  console.error('over the JavaScript size budget');
  process.exit(1);
}
