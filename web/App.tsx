import { BackgroundAlert } from './panels/BackgroundAlert';
import { useDeferredValue, useEffect } from 'react';
import { ClusterDiagram } from './diagram/ClusterDiagram';
import { useDerived } from './state/derive';
import { Inspector } from './inspector/Inspector';
import { TracePanel } from './panels/TracePanel';
import { ScenarioPanel } from './panels/ScenarioPanel';
import { useExplorer } from './state/store';
import { Toolbar } from './panels/Toolbar';
import { WarningsPanel } from './panels/WarningsPanel';
import { ReachPanel } from './panels/ReachPanel';
import { ServicesTable } from './panels/ServicesTable';
import { WhatIfPanel } from './panels/WhatIfPanel';
import { LaserPointer, LessonPanel, LessonPicker, useLessonLinks } from './lessons/LessonPanel';
import { useScenarioText } from './state/derive';

export function App() {
  const { cluster } = useDerived();
  // The diagram and the Services list redraw in an interruptible render: a keypress is answered first.
  const shown = useDeferredValue(cluster);
  const theme = useExplorer((s) => s.theme);
  const toggleTheme = useExplorer((s) => s.toggleTheme);
  const scenarioText = useScenarioText();
  const lesson = useExplorer((s) => s.lesson);
  const presenter = useExplorer((s) => s.presenter);
  useLessonLinks();
  const notice = useExplorer((s) => s.notice);
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
          <div>
            <dt>cluster</dt>
            <dd>{c.name}</dd>
          </div>
          <div>
            <dt>PodCIDR</dt>
            <dd className="mono">{c.podCIDR}</dd>
          </div>
          <div>
            <dt>Services</dt>
            <dd className="mono">{c.serviceCIDR}</dd>
          </div>
          <div>
            <dt>node mask</dt>
            <dd className="mono">/{c.nodeCIDRMaskSize}</dd>
          </div>
          <div>
            <dt>CNI</dt>
            <dd>{c.cni}</dd>
          </div>
          <div>
            <dt>kube-proxy</dt>
            <dd>{c.kubeProxyMode}</dd>
          </div>
        </dl>
        <LessonPicker />
        {!lesson && <Toolbar />}
        <button
          type="button"
          className="theme"
          onClick={toggleTheme}
          aria-label={`Switch to ${theme === 'light' ? 'dark' : 'light'} theme`}
        >
          {theme === 'light' ? 'Dark' : 'Light'} theme
        </button>
      </header>
      {notice && (
        <div className="notice" role="alert">
          <span>{notice}</span>
          <button type="button" onClick={dismissNotice}>
            Dismiss
          </button>
        </div>
      )}
      <BackgroundAlert />
      <main className="workspace">
        <ClusterDiagram cluster={shown} />
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
        <ServicesTable cluster={shown} />
        <WarningsPanel />
        <ReachPanel />
      </section>
    </div>
  );
}
