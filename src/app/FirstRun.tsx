import { DEFAULT_EMBEDDING_MODEL } from '../core';

/** Shown once, before anything is downloaded: what Folio will fetch, how big it is, and why. */
export function FirstRun({ onStart, local }: { onStart: () => void; local: boolean }) {
  const model = DEFAULT_EMBEDDING_MODEL;
  return (
    <section aria-labelledby="first-run-heading" className="first-run">
      <h2 id="first-run-heading">Before you start</h2>
      <p>Folio reads your documents and answers questions on this device. Nothing you add is uploaded anywhere.</p>
      <p>To search by meaning it needs one model, downloaded once and then kept in this browser:</p>
      <ul>
        <li>
          <strong>{model.label}</strong> ({model.id}) — about {model.downloadMB} MB{local ? ', served by this site' : ', from the Hugging Face hub'}.
        </li>
      </ul>
      <p>A model that writes answers is optional and can be chosen later; until then Folio answers with the best passages from your documents.</p>
      <button type="button" onClick={onStart}>
        Download and start
      </button>
    </section>
  );
}
