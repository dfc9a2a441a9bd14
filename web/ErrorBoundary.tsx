import { Component, type ReactNode } from 'react';
import { useExplorer } from './state/store';

interface State {
  error: Error | null;
}

/** Never a blank page: what went wrong, and a way back to the default scenario. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  private reset = () => {
    const s = useExplorer.getState();
    s.exitLesson();
    s.clearTrace();
    s.resetToDefault();
    this.setState({ error: null });
  };

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="crash" role="alert">
        <h1>Something went wrong</h1>
        <p>The explorer hit an error it could not recover from:</p>
        <pre>{this.state.error.message}</pre>
        <button type="button" onClick={this.reset}>
          Reset to default scenario
        </button>
      </main>
    );
  }
}
