// Prints the built JavaScript's size, raw and gzip; fails over the budget.
// The budget is for what every visitor downloads; the derivation worker is
// fetched only for scenarios over 256 KB and is reported on its own line.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP = 250 * 1024;
const dir = 'dist/assets';
let initial = 0;
let lazy = 0;
for (const f of readdirSync(dir)
  .filter((x) => x.endsWith('.js'))
  .sort()) {
  const buf = readFileSync(join(dir, f));
  const gz = gzipSync(buf, { level: 9 }).length;
  const isWorker = /Worker-/.test(f);
  if (isWorker) lazy += gz;
  else initial += gz;
  console.log(
    `${f.padEnd(36)} ${(buf.length / 1024).toFixed(1).padStart(8)} KB  ${(gz / 1024).toFixed(1).padStart(7)} KB gzip${isWorker ? '  (loaded only for big scenarios)' : ''}`,
  );
}
console.log(
  `JS every visitor loads: ${(initial / 1024).toFixed(1)} KB gzip (budget ${BUDGET_GZIP / 1024} KB); worker for big scenarios: ${(lazy / 1024).toFixed(1)} KB gzip`,
);
if (initial > BUDGET_GZIP) {
  console.error('over the JavaScript size budget');
  process.exit(1);
}
