// The pipeline's layers, lowest first. A folder may import its own files and the folders listed
// in its `may` (which name only lower layers); anything else fails `npm run depcheck`.
// Type-only imports count (tsPreCompilationDeps), so a type cycle fails too.
const layers = {
  'core/ip': [],
  'core/api': ['core/ip'],
  'core/ipam': ['core/ip', 'core/api'],
  'core/store': ['core/ip', 'core/api', 'core/ipam'],
  'core/scenario': ['core/ip', 'core/api', 'core/ipam'],
  'core/cluster': ['core/ip', 'core/api', 'core/ipam', 'core/store'],
  'core/policy': ['core/ip', 'core/api', 'core/ipam', 'core/store', 'core/scenario', 'core/cluster'],
  'core/dataplane': ['core/ip', 'core/api', 'core/ipam', 'core/store', 'core/cluster', 'core/policy'],
  'core/plan': ['core/ip', 'core/api', 'core/ipam', 'core/store', 'core/cluster'],
  'core/trace': ['core/ip', 'core/api', 'core/ipam', 'core/store', 'core/cluster', 'core/policy', 'core/dataplane'],
  'core/lab': ['core/ip', 'core/api', 'core/ipam', 'core/store', 'core/cluster', 'core/dataplane', 'core/trace'],
  cli: ['core'],
  web: ['core'],
};

const escape = (s) => s.replace(/[/.]/g, '\\$&');
const layerRules = Object.entries(layers).map(([from, may]) => ({
  name: `layer ${from}`,
  comment: `${from} may import only ${may.length ? may.join(', ') : 'nothing else in the project'} (see ARCHITECTURE.md)`,
  severity: 'error',
  from: { path: `^${escape(from)}/`, pathNot: '\\.test(Util)?\\.tsx?$' },
  to: {
    path: '^(core|cli|web)/',
    pathNot: [`^${escape(from)}/`, ...may.map((m) => `^${escape(m)}/`)],
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'The pipeline runs one way: no import cycle, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core is pure',
      comment: 'core/ runs in the browser and in Node alike: no Node built-ins outside its tests.',
      severity: 'error',
      from: { path: '^core/', pathNot: '\\.test(Util)?\\.tsx?$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core draws nothing',
      comment: 'core/ knows no React, DOM binding or d3-selection.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: 'node_modules/(react|react-dom|zustand|d3-selection|d3-zoom|d3-transition)/' },
    },
    ...layerRules,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
