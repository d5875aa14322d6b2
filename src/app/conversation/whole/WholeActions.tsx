import { createContext, useContext } from 'react';
import type { AskAgain } from '../useAnswer';

/**
 * What answers about the whole can do from inside a turn: ask again as the other reading offered,
 * at another summary length, or ask a suggested question. Given by the app around the conversation
 * and the source panel, so the turn and panel components need no new props.
 */
export interface WholeActions {
  ask(question: string, again?: AskAgain): void;
  /** Asks in all documents, the picker set to them (a question declined in a collection). */
  askEverywhere?(question: string): void;
  /** Stops the answer running (a long read). */
  stop(): void;
  /** Closes the source panel (a question asked from its guide, where the panel covers the conversation). */
  closeSource?(): void;
  /** False while another answer is running (a second one would stop it). */
  idle: boolean;
}

const Actions = createContext<WholeActions | null>(null);
export const WholeActionsProvider = Actions.Provider;
export const useWholeActions = () => useContext(Actions);
