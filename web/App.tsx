import { BackgroundAlert } from './panels/BackgroundAlert';
import { SavedWorkBanner } from './panels/SavedWorkBanner';
import { OpeningBanner } from './panels/OpeningBanner';
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
import { LessonPanel } from './lessons/LessonPanel';
import { LessonPicker } from './lessons/LessonPicker';
import { LaserPointer } from './lessons/LaserPointer';
import { useLessonLinks } from './lessons/lessonLinks';
import { PresenterOverlay } from './lessons/PresenterOverlay';
import { usePlayback, useStepKeys } from './panels/trace/usePlayback';
import './lessons/presenter.css';
import './panels/keyboard.css';
import { useScenarioText } from './state/derive';
import { Onboarding } from './panels/Onboarding';
import { Glossary, Term } from './panels/Glossary';
import { ExportImage } from './panels/ExportImage';
import { Secondary } from './inspector/Secondary';
import { nodeMaskSizes } from '../core/api/familyFields';

export function App() {
  const { cluster } = useDerived();
  // The diagram and the Services list redraw in an interruptible render: a keypress is answered first.
  const shown = useDeferredValue(cluster);
  const theme = useExplorer((s) => s.theme);
  const toggleTheme = useExplorer((s) => s.toggleTheme);
  const scenarioText = useScenarioText();
  const lesson = useExplorer((s) => s.lesson);
  const presenter = useExplorer((s) => s.presenter);
  const selection = useExplorer((s) => s.selection);
  useLessonLinks();
  usePlayback();
  useStepKeys();
  const notice = useExplorer((s) => s.notice);
  const dismissNotice = useExplorer((s) => s.dismissNotice);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.documentElement.dataset.presenter = presenter ? 'on' : 'off';
  }, [presenter]);
  const c = cluster.cluster;
  const masks = nodeMaskSizes(c);
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#diagram-stage"
        onClick={(e) => {
          // Focus, not navigation: the fragment belongs to lesson and share links.
          e.preventDefault();
          document.getElementById('diagram-stage')?.focus();
        }}
      >
        Skip to the diagram
      </a>
      <LaserPointer />
      <header className="topbar">
        <h1>Kubernetes Network Explorer</h1>
        <dl className="ranges" aria-label="Cluster ranges">
          <div>
            <dt>cluster</dt>
            <dd>{c.name}</dd>
          </div>
          <div>
            <dt>
              <Term name="PodCIDR" />
            </dt>
            <dd className="mono">
              {c.podCIDR}
              <Secondary text={c.podCIDRs?.[1]} />
            </dd>
          </div>
          <div>
            <dt>Services</dt>
            <dd className="mono">
              {c.serviceCIDR}
              <Secondary text={c.serviceCIDRs?.[1]} />
            </dd>
          </div>
          <div>
            <dt>node mask</dt>
            <dd className="mono">
              /{masks[0]}
              <Secondary text={masks[1] === undefined ? undefined : `/${masks[1]}`} />
            </dd>
          </div>
          <div>
            <dt>CNI</dt>
            <dd>{c.cni}</dd>
          </div>
          <div>
            <dt>
              <Term name="kube-proxy" />
            </dt>
            <dd>{c.kubeProxyMode}</dd>
          </div>
        </dl>
        <LessonPicker />
        {!lesson && <Toolbar />}
        <ExportImage clusterName={c.name} />
        <Glossary />
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
      <SavedWorkBanner />
      <OpeningBanner />
      <Onboarding />
      <main className="workspace">
        {/* The diagram's frame: presenter mode lays its HTML overlay over it. */}
        <div className="stage" id="diagram-stage" tabIndex={-1} aria-label="Diagram and current hop" role="group">
          <ClusterDiagram cluster={shown} />
          {presenter && <PresenterOverlay />}
        </div>
        <div className="side">
          {/* A new scenario gets fresh From/To defaults: remount the panel. */}
          {lesson && <LessonPanel />}
          <TracePanel key={scenarioText} lessonMode={lesson !== null} />
          {/* In a lesson, an empty inspector is an empty card: shown only when something is selected. */}
          {(!lesson || selection) && <Inspector cluster={cluster} />}
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
