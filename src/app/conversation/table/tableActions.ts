import { createContext, useContext } from 'react';
import type { TableAnswer } from '../../../core';

export type ComputedTable = Extract<TableAnswer, { status: 'computed' }>;

/**
 * What a table answer can do beyond itself: open its rows in the source panel (the chip), and ask
 * the other reading of an ambiguous question. Given by the app through context, so the turns need
 * no new props.
 */
export const TableActions = createContext<{
  openRows: (turnId: string, chip: HTMLElement) => void;
  ask: (question: string) => void;
} | null>(null);

export const useTableActions = () => useContext(TableActions);

/** The citation as a reader names it: document › table, with the sheet's page for sheets. */
export function tableLabel(answer: ComputedTable): string {
  const c = answer.citation;
  return `${c.table}${c.page ? ` · sheet ${c.page}` : ''}`;
}
