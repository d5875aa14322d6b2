import { Component, type ReactNode } from 'react';

/**
 * A part of the page loaded on demand (an answer's view) that fails to load or draw says so in its
 * place; without a boundary React would unmount the whole app.
 */
export class PartBoundary extends Component<{ what: string; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? (
      <p className="answer-meta" role="alert">
        {this.props.what} could not be shown: reload Folio to try again.
      </p>
    ) : (
      this.props.children
    );
  }
}
