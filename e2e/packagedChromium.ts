// The last resort of the browser finder: the Chromium that @sparticuz/chromium ships inside its
// npm package (headless shell, brotli-compressed, with NSS libraries, SwiftShader and a font),
// unpacked once into node_modules/.cache/k8snet-chromium/<version> and reused by every run.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

const PACKAGE = '@sparticuz/chromium';

export interface PackagedChromium {
  executablePath: string;
  /** What the browser needs in its environment: the bundled libraries and fonts. */
  env: { LD_LIBRARY_PATH: string; FONTCONFIG_PATH: string };
}

/** The package's folder, or undefined when it is not installed (or not for this platform). */
function packageRoot(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  try {
    const entry = createRequire(import.meta.url).resolve(PACKAGE);
    const marker = join('node_modules', ...PACKAGE.split('/'));
    return entry.slice(0, entry.lastIndexOf(marker) + marker.length);
  } catch {
    return undefined;
  }
}

/**
 * Writes the regular files and folders of an uncompressed tar (ustar or GNU) under `dest`.
 * The package's archives hold nothing else; any other entry, or a path leaving `dest`, is an error.
 */
export function extractTar(tar: Uint8Array, dest: string, archive = 'archive'): string[] {
  const text = (from: number, length: number) => {
    const field = Buffer.from(tar.subarray(from, from + length)).toString('utf8');
    const end = field.indexOf('\0');
    return end === -1 ? field : field.slice(0, end);
  };
  const written: string[] = [];
  for (let at = 0; at + 512 <= tar.length;) {
    const name = text(at, 100);
    if (name === '') break; // the two zero blocks that end an archive
    const prefix = text(at + 345, 155);
    const path = prefix && text(at + 257, 6).startsWith('ustar') ? `${prefix}/${name}` : name;
    const mode = parseInt(text(at + 100, 8).trim() || '644', 8);
    const size = parseInt(text(at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(tar[at + 156] ?? 0);
    const target = normalize(join(dest, path));
    if (target !== dest && !target.startsWith(dest + sep))
      throw new Error(`${archive}: entry "${path}" would be written outside ${dest}`);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0' || type === '\0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, tar.subarray(at + 512, at + 512 + size));
      chmodSync(target, mode & 0o777);
      written.push(path);
    } else throw new Error(`${archive}: entry "${path}" has tar type "${type}", which this unpacker does not handle`);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return written;
}

// Fontconfig looks in FONTCONFIG_PATH for fonts.conf; the package's own names Lambda's /tmp paths.
const fontsConf = (dir: string) =>
  `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
  `  <dir>${join(dir, 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n` +
  `  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`;

/** Unpacks the package's files into `dir` (a fresh folder), to be renamed `finalDir`. */
function unpack(bin: string, dir: string, finalDir: string): void {
  const inflate = (file: string) => brotliDecompressSync(readFileSync(join(bin, file)));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'chromium'), inflate('chromium.br'));
  chmodSync(join(dir, 'chromium'), 0o755);
  // al2023.tar holds lib/libnss3.so and friends, which a minimal system lacks; SwiftShader's GL
  // libraries go beside the binary, where Chromium looks for them.
  extractTar(inflate('al2023.tar.br'), dir, 'al2023.tar.br');
  extractTar(inflate('swiftshader.tar.br'), dir, 'swiftshader.tar.br');
  extractTar(inflate('fonts.tar.br'), dir, 'fonts.tar.br');
  writeFileSync(join(dir, 'fonts.conf'), fontsConf(finalDir));
}

/**
 * The packaged Chromium, unpacked on first use; undefined when the package is not installed.
 * Unpacks into a private folder and renames it into place, so two processes never see half a cache.
 */
export function packagedChromium(): PackagedChromium | undefined {
  const root = packageRoot();
  if (!root) return undefined;
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const cache = join(root, '..', '..', '.cache', 'k8snet-chromium');
  const dir = join(cache, version);
  if (!existsSync(join(dir, 'chromium'))) {
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true }); // a folder without the binary is a broken cache
    try {
      unpack(join(root, 'bin'), partial, dir);
      try {
        renameSync(partial, dir);
      } catch (e) {
        if (!existsSync(join(dir, 'chromium'))) throw e; // otherwise another process got there first
      }
      // Older versions' unpacked copies are ~230 MB each and never used again.
      for (const old of readdirSync(cache))
        if (old !== version && !old.includes('.partial-')) rmSync(join(cache, old), { recursive: true, force: true });
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  const libs = [join(dir, 'lib'), ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)];
  return {
    executablePath: join(dir, 'chromium'),
    env: { LD_LIBRARY_PATH: [...new Set(libs)].join(':'), FONTCONFIG_PATH: dir },
  };
}
