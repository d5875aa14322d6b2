import { useEffect, useState } from 'react';
import type { RemoteLibrary } from '../../../client/library';
import type { TableFilter } from '../../../core';
import type { ComputedTable } from './tableActions';
import './table.css';

type Rows = { columns: string[]; rows: { row: number; cells: string[] }[] };

function filterText(f: TableFilter): string {
  if (f.op === 'year') return `${f.column} in ${f.month ? `${String(f.month).padStart(2, '0')}/` : ''}${f.value}`;
  return `${f.column} = ${f.value}`;
}

/**
 * The rows a computed answer used, as a table under its header: only those rows (the first 100)
 * are asked of the library's worker, never the whole table, which may have 100,000.
 */
export function TableRows({
  answer,
  library,
}: {
  answer: ComputedTable;
  library: () => Promise<RemoteLibrary | null>;
}) {
  const { citation, rows, rowCount, query } = answer;
  const [loaded, setLoaded] = useState<{ key: string; data: Rows | null }>();
  const key = `${citation.docId}:${citation.tableIndex}:${rows.join(',')}`;
  useEffect(() => {
    let live = true;
    void library()
      .then((lib) => lib?.tableRows(citation.docId, citation.tableIndex, rows))
      .then(
        (data) => live && setLoaded({ key, data: data ?? null }),
        () => live && setLoaded({ key, data: null }),
      );
    return () => {
      live = false;
    };
  }, [library, citation.docId, citation.tableIndex, rows, key]);
  const data = loaded?.key === key ? loaded.data : undefined;
  const used = new Set([query.column, query.by?.column, ...query.filters.map((f) => f.column)].filter(Boolean));
  const columns = data?.columns ?? citation.columns;
  return (
    <section className="table-rows" aria-label="Rows used">
      <p className="table-rows-summary">
        {rowCount > rows.length
          ? `Showing ${rows.length.toLocaleString('en-US')} of ${rowCount.toLocaleString('en-US')} rows used`
          : `${rowCount.toLocaleString('en-US')} ${rowCount === 1 ? 'row' : 'rows'} used`}
        {query.filters.length > 0 && <> · where {query.filters.map(filterText).join(' and ')}</>}
      </p>
      {data === undefined && <div className="source-loading" aria-hidden="true" />}
      {data === null && (
        <p className="callout callout-warning" role="status">
          This table is no longer in your library, so its rows can't be shown.
        </p>
      )}
      {data && (
        <div className="table-rows-scroll">
          <table className="table-grid">
            <thead>
              <tr>
                <th scope="col" className="table-rownum">
                  Row
                </th>
                {columns.map((c) => (
                  <th key={c} scope="col" className={used.has(c) ? 'used' : undefined}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.row}>
                  <th scope="row" className="table-rownum">
                    {r.row}
                  </th>
                  {r.cells.map((cell, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional, one per column
                    <td key={i} className={used.has(columns[i]) ? 'used' : undefined}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
