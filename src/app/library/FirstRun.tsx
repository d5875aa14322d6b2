import { Download, FileUp, ShieldCheck, WifiOff } from 'lucide-react';
import { DEFAULT_EMBEDDING_MODEL } from '../../core';
import { Logo } from '../ui/Logo';
import './library.css';

/**
 * Shown once, before anything is downloaded: what Folio is, what stays private, what will be
 * fetched and how big it is. Files dropped here start Folio and are added once it is ready.
 */
export function FirstRun({
  onStart,
  onAdd,
  local,
  dragging,
}: {
  onStart: () => void /** Files chosen here: Folio starts and adds them once ready. */;
  onAdd: (files: File[]) => void;
  local: boolean;
  dragging: boolean;
}) {
  const model = DEFAULT_EMBEDDING_MODEL;
  return (
    <main className="first-run">
      <section className="first-run-card" aria-labelledby="first-run-heading">
        <div className="first-run-brand">
          <Logo size={36} />
          <span>Folio</span>
        </div>
        <h1 id="first-run-heading">Ask your documents, privately</h1>
        <p className="first-run-lead">
          Folio reads your PDFs, Word files, web pages and notes, answers questions with the passages that say so, and
          shows you exactly where each one is. It all happens in this browser.
        </p>
        <ul className="first-run-points">
          <li>
            <ShieldCheck size={20} aria-hidden />
            <span>
              <strong>Your files never leave this device.</strong> No account, no upload, nothing sent anywhere.
            </span>
          </li>
          <li>
            <Download size={20} aria-hidden />
            <span>
              <strong>One download to start:</strong> the search model {model.label.replace(/ \(.*\)$/, '')} ({model.id}
              ) — about {model.downloadMB} MB
              {local ? ', served by this site' : ', from the Hugging Face hub'}, kept in this browser.
            </span>
          </li>
          <li>
            <WifiOff size={20} aria-hidden />
            <span>
              <strong>Works offline</strong> after this first visit. Models that write answers are optional; you can
              pick one later, with its size shown before anything downloads.
            </span>
          </li>
        </ul>
        <div className={dragging ? 'first-run-drop dragging' : 'first-run-drop'}>
          <FileUp size={28} aria-hidden />
          <strong className="first-run-drop-title">Drop documents here to begin</strong>
          <small>
            PDF (scans too), Word, PowerPoint, Excel, EPUB, web pages, Markdown, text, pictures of pages — whole folders
            too
          </small>
          {/* Where nothing can be dropped (a phone), this is the way in; elsewhere, the other one. */}
          <label className="btn btn-soft file-button first-run-choose">
            Choose documents…
            <input
              type="file"
              multiple
              aria-label="Choose documents to start with"
              onChange={(e) => e.target.files?.length && onAdd([...e.target.files])}
            />
          </label>
        </div>
        <button type="button" className="btn btn-primary btn-lg first-run-start" onClick={onStart}>
          Download and start
        </button>
      </section>
    </main>
  );
}
