// "Export image": the diagram as SVG or PNG, as it is drawn now (the current hop too), from a
// small menu in the header so the header keeps its height and the diagram its size.
import { useExplorer } from '../state/store';
import { diagramPng, diagramSvgText } from './exportImage';

function saveBlob(blob: Blob, name: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The diagram's drawing: the stage <svg> inside the region the diagram labels itself with. */
function diagramSvg(): SVGSVGElement | null {
  return document.querySelector<SVGSVGElement>('[aria-label="Cluster diagram"] svg[role="group"]');
}

export function ExportImage({ clusterName }: { clusterName: string }) {
  const showNotice = useExplorer((s) => s.showNotice);
  const svg = () => {
    const el = diagramSvg();
    if (el) saveBlob(new Blob([diagramSvgText(el)], { type: 'image/svg+xml' }), `${clusterName}-diagram.svg`);
  };
  const png = () => {
    const el = diagramSvg();
    if (!el) return;
    diagramPng(el).then(
      (b) => saveBlob(b, `${clusterName}-diagram.png`),
      (e: Error) => showNotice(`The PNG could not be made: ${e.message}. Export as SVG instead.`),
    );
  };
  return (
    <details className="export-image">
      <summary>Export image</summary>
      <div role="group" aria-label="Export image">
        <button type="button" onClick={svg}>
          Diagram as SVG
        </button>
        <button type="button" onClick={png}>
          Diagram as PNG
        </button>
      </div>
    </details>
  );
}
