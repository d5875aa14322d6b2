import type { TableAnswer } from '../../../core';
import { tableLabel } from './tableActions';

/** The row numbers as a reader checks them: "rows 2, 5, 9 and 14", the first few of many. */
function rowList(rows: number[], count: number): string {
  const shown = rows.slice(0, 8);
  const more = count - shown.length;
  if (shown.length === 1 && !more) return `row ${shown[0]}`;
  return `rows ${shown.join(', ')}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}`;
}

/**
 * A table answer as Markdown, for Copy and the conversation's export: the value, the computation
 * in words, the reading taken, the table it comes from with the rows used, and the query. A table
 * question that was not computed gives its reason.
 */
export function tableMarkdown(answer: TableAnswer): string {
  if (answer.status === 'declined') return `*Not computed from a table: ${answer.reason}*`;
  const c = answer.citation;
  return [
    `**${answer.display}**`,
    answer.computation,
    ...(answer.reading ? [`*Read this way: ${answer.reading}*`] : []),
    ...(answer.by === 'model'
      ? ['*The answer model proposed the query; it was checked against the table and run.*']
      : []),
    `Source: **${tableLabel(answer)}**, ${rowList(answer.rows, answer.rowCount)} (header on row ${c.headerRow || 'none'})`,
    `Query: \`${JSON.stringify(answer.query)}\``,
  ].join('\n\n');
}
