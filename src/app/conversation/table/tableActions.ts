import { useEffect, useRef } from 'react';
import type { TableAnswer } from '../../../core';

export type ComputedTable = Extract<TableAnswer, { status: 'computed' }>;

/**
 * What a table answer asks of the app: open its rows in the source panel (the chip), or ask the
 * other reading of an ambiguous question. Sent as a DOM event from the button, as the citation
 * chips are handled by one listener, so the turns and the app's layout need no new props.
 */
type TableRequest = { kind: 'rows'; turnId: string } | { kind: 'ask'; question: string };

const EVENT = 'folio-table';

export function requestFromTable(from: HTMLElement, request: TableRequest): void {
  from.dispatchEvent(new CustomEvent<TableRequest>(EVENT, { bubbles: true, detail: request }));
}

/** Handles the table answers' requests (the app, once). */
export function useTableRequests(handlers: {
  openRows: (turnId: string, chip: HTMLElement) => void;
  ask: (question: string) => void;
}): void {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const on = (e: Event) => {
      const { detail } = e as CustomEvent<TableRequest>;
      if (detail.kind === 'rows') current.current.openRows(detail.turnId, e.target as HTMLElement);
      else current.current.ask(detail.question);
    };
    document.addEventListener(EVENT, on);
    return () => document.removeEventListener(EVENT, on);
  }, []);
}

/** The citation as a reader names it: document › table, with the sheet's page for sheets. */
export function tableLabel(answer: ComputedTable): string {
  const c = answer.citation;
  return `${c.table}${c.page ? ` · sheet ${c.page}` : ''}`;
}
