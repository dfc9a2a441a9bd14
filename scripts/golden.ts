// Prints every command's output for every example scenario and a generated 300-node
// cluster into one directory, so a refactor can be checked byte for byte:
//   npx tsx scripts/golden.ts DIR [path/to/main.ts]   then   diff -r BEFORE AFTER
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [outDir, mainPath = 'cli/main.ts'] = process.argv.slice(2);
if (!outDir) throw new Error('usage: tsx scripts/golden.ts OUTDIR [main.ts]');
const { main } = (await import(pathToFileURL(mainPath).href)) as { main: (argv: string[]) => number };

function run(argv: string[]): string {
  let out = '';
  const log = console.log;
  const err = console.error;
  const write = process.stdout.write.bind(process.stdout);
  console.log = (...a: unknown[]) => void (out += a.join(' ') + '\n');
  console.error = (...a: unknown[]) => void (out += 'ERR ' + a.join(' ') + '\n');
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  try {
    const code = main(argv);
    out += `exit ${code}\n`;
  } finally {
    console.log = log;
    console.error = err;
    process.stdout.write = write;
  }
  return out;
}

mkdirSync(outDir, { recursive: true });
const index = JSON.parse(readFileSync('public/scenarios/index.json', 'utf8')) as { file: string }[];
const files = index.map((e) => join('public/scenarios', e.file));
const big = join(outDir, 'generated-300.yaml');
writeFileSync(big, run(['generate', '--nodes', '300']).replace(/\nexit 0\n$/, '\n'));
files.push(big);

for (const file of files) {
  const name = file.split('/').pop()!;
  const rj = run(['realize', file, '--json']);
  if (!rj.endsWith('exit 0\n')) throw new Error(file + ': ' + rj.slice(0, 300));
  const realized = JSON.parse(rj.slice(0, -7)) as {
    nodes: { name: string; pods: { namespace: string; name: string }[] }[];
    services: { namespace: string; name: string }[];
  };
  let out =
    run(['realize', file, '--json']) + run(['realize', file]) + run(['plan', file]) + run(['plan', file, '--json']);
  out += run(['reach', file]);
  const nodes = realized.nodes.slice(0, 6);
  for (const n of nodes) {
    for (const cmd of ['routes', 'devices', 'iptables', 'nftables'])
      out += `== ${cmd} ${n.name}\n` + run([cmd, file, '--node', n.name]);
  }
  const pods = realized.nodes.flatMap((n) => n.pods).slice(0, 8);
  const targets = [
    ...pods.map((p) => `pod/${p.namespace}/${p.name}`),
    ...realized.services.slice(0, 8).map((s) => `svc/${s.namespace}/${s.name}`),
    ...nodes.slice(0, 3).map((n) => `node/${n.name}`),
    'external',
    '8.8.8.8:443',
  ];
  const sources = [
    ...pods.slice(0, 4).map((p) => `pod/${p.namespace}/${p.name}`),
    ...nodes.slice(0, 2).map((n) => `node/${n.name}`),
    'external',
  ];
  for (const from of sources)
    for (const to of targets) {
      if (from === to) continue;
      out += `== trace ${from} ${to}\n` + run(['trace', file, '--from', from, '--to', to, '--json']);
    }
  writeFileSync(join(outDir, name + '.out'), out);
}
