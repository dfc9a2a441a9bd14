// The static checks of `npm test` (typecheck, lint, layers, formatting), two at a time:
// each is single-threaded, and the machines this runs on have two cores or more.
// Each one's output is printed whole when it ends; any failure fails the lot.
import { spawn } from 'node:child_process';

const CHECKS = ['typecheck', 'lint', 'depcheck', 'format:check'];
const AT_ONCE = 2;

function run(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      process.stdout.write(`> ${script}: ${code === 0 ? 'ok' : `failed (exit ${code})`}\n${out}`);
      resolve(code === 0);
    });
  });
}

const queue = [...CHECKS];
const results = await Promise.all(
  Array.from({ length: AT_ONCE }, async () => {
    let ok = true;
    while (queue.length) ok = (await run(queue.shift())) && ok;
    return ok;
  }),
);
process.exit(results.every(Boolean) ? 0 : 1);
