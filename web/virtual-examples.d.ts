// The example scenarios module made by vite.config.ts from public/scenarios.
declare module 'virtual:examples' {
  const examples: { file: string; title: string; description: string; text: string }[];
  export default examples;
}
