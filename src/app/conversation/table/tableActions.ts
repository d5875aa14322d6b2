import { createContext, useContext } from 'react';
import type { TableAnswer } from '../../../core';

export type ComputedTable = Extract<TableAnswer, { status: 'computed' }>;

/**
 * What a table answer can do beyond itself: open its rows in the source panel (the chip and
 * "Show the rows"). Given by the app through context, so the turns need no new props.
 */
export const OpenTableRows = createContext<((turnId: string, chip: HTMLElement) => void) | null>(null);

export const useOpenTableRows = () => useContext(OpenTableRows);

/** The citation as a reader names it: document › table, with the sheet's page for sheets. */
export function tableLabel(answer: ComputedTable): string {
  const c = answer.citation;
  return `${c.table}${c.page ? ` · sheet ${c.page}` : ''}`;
}
