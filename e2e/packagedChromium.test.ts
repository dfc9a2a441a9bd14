// The browser finder's last resort, checked on every machine (even one with a system Chromium):
// the tar unpacker on hand-made archives, and the packaged Chromium itself rendering a page.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './browser';
import { extractTar, packagedChromium } from './packagedChromium';

/** One tar entry as GNU tar writes it (checksum left blank: the unpacker does not read it). */
function entry(name: string, type: string, body = '', mode = 0o644): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write(mode.toString(8).padStart(7, '0'), 100);
  header.write(body.length.toString(8).padStart(11, '0'), 124);
  header.write(type, 156);
  header.write('ustar  ', 257);
  const data = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  data.write(body);
  return Buffer.concat([header, data]);
}
const tarOf = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

describe('extractTar', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'k8snet-tar-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes folders and files with their contents and modes', () => {
    const dest = fresh();
    const body = 'x'.repeat(700); // spans two blocks
    const written = extractTar(
      tarOf(entry('lib/', '5', '', 0o755), entry('lib/libnss3.so', '0', body, 0o755), entry('fonts.conf', '0', '<a/>')),
      dest,
    );
    expect(written).toEqual(['lib/libnss3.so', 'fonts.conf']);
    expect(readFileSync(join(dest, 'lib/libnss3.so'), 'utf8')).toBe(body);
    expect(statSync(join(dest, 'lib/libnss3.so')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(dest, 'fonts.conf'), 'utf8')).toBe('<a/>');
    expect(statSync(join(dest, 'fonts.conf')).mode & 0o777).toBe(0o644);
  });

  it('refuses a path that leaves the folder, naming the archive and the entry', () => {
    expect(() => extractTar(tarOf(entry('../evil', '0', 'x')), fresh(), 'fonts.tar.br')).toThrow(
      /fonts\.tar\.br: entry "\.\.\/evil" would be written outside/,
    );
  });

  it('refuses entry types it does not handle rather than skipping them', () => {
    expect(() => extractTar(tarOf(entry('lib/link.so', '2')), fresh(), 'al2023.tar.br')).toThrow(
      'al2023.tar.br: entry "lib/link.so" has tar type "2"',
    );
  });
});

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')(
  'the Chromium inside @sparticuz/chromium',
  () => {
    it('unpacks once into node_modules/.cache, then Playwright launches it and it lays out text', async () => {
      const first = packagedChromium();
      expect(first?.executablePath).toMatch(/node_modules\/\.cache\/k8snet-chromium\/[\d.]+\/chromium$/);
      const unpackedAt = statSync(first!.executablePath).mtimeMs;
      const again = packagedChromium();
      expect(again).toEqual(first);
      expect(statSync(again!.executablePath).mtimeMs).toBe(unpackedAt); // reused, not unpacked again
      const browser = await chromium.launch({
        executablePath: first!.executablePath,
        args: CHROMIUM_ARGS,
        env: { ...process.env, ...first!.env } as Record<string, string>,
      });
      try {
        const page = await browser.newPage();
        await page.setContent('<p><span>rendered by the packaged browser</span></p>');
        expect(await page.textContent('p')).toBe('rendered by the packaged browser');
        // A font was found: the line has a width (the bundled Open Sans where the system has none).
        const width = await page.evaluate('document.querySelector("span").getBoundingClientRect().width');
        expect(width).toBeGreaterThan(100);
      } finally {
        await browser.close();
      }
    });
  },
);
