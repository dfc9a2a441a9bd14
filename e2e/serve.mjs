// A plain static server for dist/, mounted under a subpath, the way the app is
// deployed on a docs site. Usage: node e2e/serve.mjs [port] [subpath]
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const port = Number(process.argv[2] ?? 4173);
const base = `/${(process.argv[3] ?? 'explorer').replace(/^\/|\/$/g, '')}/`;
const root = resolve(process.cwd(), 'dist');
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.yaml': 'text/yaml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

createServer((req, res) => {
  const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
  if (url === '/' || url === base.slice(0, -1)) {
    res.writeHead(302, { location: base });
    return res.end();
  }
  if (!url.startsWith(base)) {
    res.writeHead(404);
    return res.end('not found');
  }
  const rel = normalize(url.slice(base.length) || 'index.html');
  const file = join(root, rel);
  if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
    res.writeHead(404);
    return res.end('not found');
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}).listen(port, '127.0.0.1', () => console.log(`serving dist/ at http://127.0.0.1:${port}${base}`));
