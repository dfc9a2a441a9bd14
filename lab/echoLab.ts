// Shared by the dual-stack kernel lab tests: a TCP server in a namespace that answers "LOCAL REMOTE" (the addresses
// it saw the connection between), and a client that connects from another namespace and prints the answer.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * What a TCP client in `ns` gets from host:port (an echo server's "LOCAL REMOTE", or whatever a test's server writes),
 * or "no answer" (dropped, refused or timed out after `timeoutMs`). `localPort` pins the client's source port.
 */
export async function connect(
  ns: string,
  host: string,
  port: number,
  opts: { timeoutMs?: number; localPort?: number } = {},
): Promise<string> {
  const local = opts.localPort ? `, localPort: ${opts.localPort}` : '';
  try {
    const { stdout } = await run('ip', [
      'netns',
      'exec',
      ns,
      process.execPath,
      '-e',
      `const s = require('net').connect({ host: '${host}', port: ${port}${local} }); s.setTimeout(${opts.timeoutMs ?? 3000}, () => process.exit(3)); s.on('error', () => process.exit(4)); s.on('data', (d) => process.stdout.write(d));`,
    ]);
    return stdout.trim() || 'no answer';
  } catch {
    return 'no answer';
  }
}

/** A server in each namespace answering "LOCAL REMOTE" on `port` (IPv6 and IPv4 alike: it listens on ::); kept in `servers`. */
export async function startEchoServers(namespaces: string[], port: number, servers: ChildProcess[]): Promise<void> {
  if (servers.length > 0) return;
  await Promise.all(
    namespaces.map((ns) => {
      const s = spawn('ip', [
        'netns',
        'exec',
        ns,
        process.execPath,
        '-e',
        `require('net').createServer((s) => s.end(s.localAddress.replace(/^::ffff:/, '') + ' ' + s.remoteAddress.replace(/^::ffff:/, '') + '\\n')).listen(${port}, '::', () => console.log('ready'))`,
      ]);
      servers.push(s);
      return new Promise<void>((ok, fail) => {
        s.stdout!.once('data', () => ok());
        s.once('exit', (code) => fail(new Error(`server exited ${code}`)));
      });
    }),
  );
}

/**
 * The families' kernel lab scenario: `networking` (kind's block, as YAML lines indented two spaces), two web pods
 * answering on 8080, two clients, and a Service `web` on port 80 with the given spec lines (its families, its type).
 */
export const webAndClients = (networking: string, service: string) => `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
${networking}
nodes: [{role: control-plane}, {role: worker}, {role: worker}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client}
spec:
  replicas: 2
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {containers: [{name: client, image: busybox}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
${service}
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;
