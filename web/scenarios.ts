// The example scenarios, bundled at build time: the static app makes no network calls.
import index from '../public/scenarios/index.json';

const files = import.meta.glob('../public/scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface Example {
  file: string;
  title: string;
  description: string;
  text: string;
}

export const EXAMPLES: Example[] = (index as { file: string; title: string; description: string }[])
  .map((e) => ({ ...e, text: files[`../public/scenarios/${e.file}`] ?? '' }))
  .filter((e) => e.text !== '');
