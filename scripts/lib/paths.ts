import path from 'node:path';

/** Shared test assets live beside the project (../shared); each folder can be moved by env var. */
export const MODELS_DIR = path.resolve(process.env.FOLIO_MODELS ?? '../shared/models');
export const FIXTURES_DIR = path.resolve(process.env.FOLIO_FIXTURES ?? '../shared/fixtures/docs');
export const SCIFACT_DIR = path.resolve(process.env.FOLIO_SCIFACT ?? '../shared/data/scifact');
/** Public CSVs (vega-datasets), among them birdstrikes.csv: 10,000 rows × 14 columns. */
export const TABLES_DIR = path.resolve(process.env.FOLIO_TABLES ?? '../shared/data/tables');

export const FIXTURE_FILES = {
  pdf: 'pdf/multi_page.pdf',
  pdfColumns: 'pdf/amt_handbook_sample.pdf',
  docx: 'docx/word_sample.docx',
  docxTables: 'docx/mammoth-tables.docx',
  docxList: 'docx/mammoth-simple-list.docx',
  html: 'html/wiki_duck.html',
  markdown: 'md/wiki-ibm.md',
  text: 'txt/war-and-peace-1p.txt',
} as const;

/** One file of each of six formats: the indexing benchmarks' and the core browser test's set, in this order. */
export const SIX_FORMATS = [
  FIXTURE_FILES.pdf,
  FIXTURE_FILES.pdfColumns,
  FIXTURE_FILES.docx,
  FIXTURE_FILES.html,
  FIXTURE_FILES.markdown,
  FIXTURE_FILES.text,
];

/** Seven real research PDFs (two-column, arXiv stamps, running headers, references). */
export const PAPERS_DIR = path.resolve(process.env.FOLIO_PAPERS ?? '../shared/data/papers');
