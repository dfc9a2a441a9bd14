// The example scenarios, bundled at build time (vite.config.ts reads public/scenarios):
// the static app makes no network calls.
import examples from 'virtual:examples';

export interface Example {
  file: string;
  title: string;
  description: string;
  text: string;
}

export const EXAMPLES: Example[] = examples.filter((e) => e.text !== '');
