import { useEffect } from 'react';
import { ClusterDiagram } from './ClusterDiagram';
import { useDerived } from './derive';
import { Inspector } from './Inspector';
import { TracePanel } from './TracePanel';
import { ScenarioPanel } from './ScenarioPanel';
import { useExplorer } from './store';
import { Toolbar } from './Toolbar';
import { WarningsPanel } from './WarningsPanel';
import { ReachPanel } from './ReachPanel';
import { WhatIfPanel } from './WhatIfPanel';
import { LaserPointer, LessonPanel, LessonPicker, useLessonLinks } from './lessons/LessonPanel';
import { useScenarioText } from './derive';

/** Rows in the Services table; Find reaches the rest. */
const MAX_ROWS = 100;

export function App() {
  const { cluster } = useDerived();
  const theme = useExplorer((s) => s.theme);
  const toggleTheme = useExplorer((s) => s.toggleTheme);
  const scenarioText = useScenarioText();
  const lesson = useExplorer((s) => s.lesson);
  const presenter = useExplorer((s) => s.presenter);
  useLessonLinks();
  const notice = useExplorer((s) => s.notice);
  const select = useExplorer((s) => s.select);
  const dismissNotice = useExplorer((s) => s.dismissNotice);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.documentElement.dataset.presenter = presenter ? 'on' : 'off';
  }, [presenter]);
  const c = cluster.cluster;
  return (
    <div className="app">
      <LaserPointer />
      <header className="topbar">
        <h1>Kubernetes Network Explorer</h1>
        <dl className="ranges" aria-label="Cluster ranges">
          <div><dt>cluster</dt><dd>{c.name}</dd></div>
          <div><dt>PodCIDR</dt><dd className="mono">{c.podCIDR}</dd></div>
          <div><dt>Services</dt><dd className="mono">{c.serviceCIDR}</dd></div>
          <div><dt>node mask</dt><dd className="mono">/{c.nodeCIDRMaskSize}</dd></div>
          <div><dt>CNI</dt><dd>{c.cni}</dd></div>
          <div><dt>kube-proxy</dt><dd>{c.kubeProxyMode}</dd></div>
        </dl>
        <LessonPicker />
        {!lesson && <Toolbar />}
        <button type="button" className="theme" onClick={toggleTheme} aria-label={`Switch to ${theme === 'light' ? 'dark' : 'light'} theme`}>
          {theme === 'light' ? 'Dark' : 'Light'} theme
        </button>
      </header>
      {notice && (
        <div className="notice" role="alert">
          <span>{notice}</span>
          <button type="button" onClick={dismissNotice}>Dismiss</button>
        </div>
      )}
      <main className="workspace">
        <ClusterDiagram cluster={cluster} />
        <div className="side">
          {/* A new scenario gets fresh From/To defaults: remount the panel. */}
          {lesson && <LessonPanel />}
          <TracePanel key={scenarioText} lessonMode={lesson !== null} />
          <Inspector cluster={cluster} />
          {!lesson && <WhatIfPanel />}
          {!lesson && <ScenarioPanel />}
        </div>
      </main>
      <section className="lists">
        <section aria-label="Services">
          <h2>Services</h2>
          <table>
            <thead><tr><th>Service</th><th>ClusterIP</th><th>Ports</th><th>Endpoint pods</th></tr></thead>
            <tbody>
              {cluster.services.slice(0, MAX_ROWS).map((s) => (
                <tr key={`${s.namespace}/${s.name}`}>
                  <td><button type="button" className="link" onClick={() => select(`svc/${s.namespace}/${s.name}`)}>{s.namespace}/{s.name}</button></td>
                  <td className="mono">{s.headless ? 'None (headless)' : s.clusterIP ?? 'none'}</td>
                  <td className="mono">{s.ports.map((p) => `${p.port}${p.nodePort !== null ? `:${p.nodePort}` : ''}/${p.protocol}`).join(', ')}</td>
                  <td>{new Set(s.endpoints.map((e) => e.ip)).size}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {cluster.services.length > MAX_ROWS && <p className="hint">{MAX_ROWS} of {cluster.services.length.toLocaleString('en-US')} Services shown; use Find above the diagram for the others.</p>}
        </section>
        <WarningsPanel />
        <ReachPanel />
      </section>
    </div>
  );
}
