import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error?: Error;
}

/** Never a blank screen: a render error shows what broke and a way back. */
export class ErrorBoundary extends Component<{ children: ReactNode; area?: string }, State> {
  override state: State = {};

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('TokenDesk UI error', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="crash" role="alert">
        <h2>{this.props.area ? `The ${this.props.area} could not be shown` : 'Something in this window broke'}</h2>
        <p className="mono crash-msg">{error.message || String(error)}</p>
        <p>Your sessions and secrets are unaffected. Try again, or reload the window.</p>
        <div className="row">
          <button type="button" className="btn btn-primary" onClick={() => this.setState({ error: undefined })}>
            Try again
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => location.reload()}>
            Reload window
          </button>
        </div>
      </div>
    );
  }
}
