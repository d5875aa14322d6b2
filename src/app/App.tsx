import { FileUp } from 'lucide-react';
import type { DocumentRecord } from '../core';
import { lazy, Suspense, useCallback, useState } from 'react';
import { Composer } from './conversation/Composer';
import { ConversationView } from './conversation/ConversationView';
import { ConversationHeader } from './conversation/ConversationHeader';
import { ConversationList } from './conversation/ConversationList';
import { WholeActionsProvider } from './conversation/whole/WholeActions';
import { conversationTitle } from './conversation/conversationStore';
import { EnginesMenu } from './engines/EnginesMenu';
import { FirstRun } from './library/FirstRun';
import { LibraryBanners } from './library/LibraryBanners';
import { LinkFolderButton } from './library/LinkFolderButton';
import { useLinkedFolders } from './library/useLinkedFolders';
import { ScopePicker } from './library/ScopePicker';
import { IndexingProgress } from './library/IndexingProgress';
import { Sidebar } from './library/Sidebar';
import { AppMenu } from './settings/AppMenu';
import { UpdateBanner } from './settings/UpdateBanner';
import { Sheet } from './ui/Dialog';
import { DESKTOP, PHONE, useMedia, WIDE_ENOUGH_FOR_SOURCES } from './ui/useMedia';
import { useApp } from './useApp';
// The source panel's placeholder is drawn before the panel's code has arrived, in the panel's styles.
import './sources/sources.css';
// After every component's styles: its touch sizes win over a feature's smaller ones.
import './app.css';

// Not needed to start: loaded when first opened (the dialogs as soon as their menu opens).
const SourcePanel = lazy(() => import('./sources/SourcePanel'));
// Only a library with linked folders shows them: the list is not part of the first download.
const LinkedFolderList = lazy(() => import('./library/LinkedFolders').then((m) => ({ default: m.LinkedFolderList })));
const loadDialogs = () => import('./settings/Dialogs');
const Dialogs = lazy(loadDialogs);

/**
 * Layout only. Desktop (≥ 1,100 px): library | conversation | source. Narrower: the library is a
 * drawer; the source sits beside the conversation while there is room, else it is a sheet. Phone
 * (≤ 480 px): one column; the library a full-screen sheet, the source a sheet from the bottom that a
 * swipe down closes.
 */
export function App() {
  const a = useApp();
  // Summaries, lists and source guides ask again from inside a turn or the source panel (issue 21).
  return (
    <WholeActionsProvider value={a.whole}>
      <AppLayout a={a} />
    </WholeActionsProvider>
  );
}

function AppLayout({ a }: { a: ReturnType<typeof useApp> }) {
  const desktop = useMedia(DESKTOP);
  const sideBySide = useMedia(WIDE_ENOUGH_FOR_SOURCES);
  const phone = useMedia(PHONE);
  const [drawer, setDrawer] = useState(false);
  const { lib, convs, engines, source, showDocument } = a;
  const folders = useLinkedFolders(lib);
  const showFromLibrary = useCallback(
    (d: DocumentRecord) => {
      setDrawer(false);
      showDocument(d);
    },
    [showDocument],
  );

  if (!lib.started) return <FirstRun onStart={lib.start} onAdd={a.add} local={a.servedBySite} dragging={a.dragging} />;

  const sidebar = (
    <Sidebar
      documents={lib.documents}
      fileProgress={lib.fileProgress}
      {...(lib.status.phase === 'ready' ? { device: lib.status.device } : {})}
      outcomes={lib.outcomes}
      storage={lib.storage}
      reembedding={lib.reembedding}
      opening={lib.status.phase === 'loading'}
      disabled={a.unusable ? 'Adding is off in this tab: see the message beside the conversation.' : null}
      onAdd={a.add}
      onCancelAdding={lib.cancelAdding}
      onDismissOutcome={lib.dismissOutcome}
      onShow={showFromLibrary}
      onReindex={a.reindexDocument}
      onRemove={a.removeDocument}
      menu={
        <AppMenu
          onOpen={a.setDialog}
          onMenuOpen={() => void loadDialogs().catch(() => {})}
          onOpenLibraryFile={a.collections.pickLibraryFile}
        />
      }
      linkFolder={<LinkFolderButton api={folders} disabled={a.unusable ? 'Adding is off in this tab.' : null} />}
      folders={
        folders.folders.length > 0 && (
          <Suspense fallback={null}>
            <LinkedFolderList api={folders} />
          </Suspense>
        )
      }
      collections={a.collections}
      conversations={
        <ConversationList
          conversations={convs.conversations}
          currentId={convs.current?.id}
          onSelect={(id) => {
            convs.select(id);
            setDrawer(false);
          }}
          onNew={() => {
            convs.create();
            setDrawer(false);
          }}
          onRename={convs.rename}
          onExport={a.exportConversation}
          onDelete={a.deleteConversation}
        />
      }
      {...(!desktop ? { onClose: () => setDrawer(false) } : {})}
    />
  );

  const panel = source.target && (
    <Suspense fallback={<div className="source source-loading" aria-hidden="true" />}>
      <SourcePanel
        target={source.target}
        opened={source.opened}
        library={lib.library}
        documents={lib.documents}
        onClose={a.closeSource}
        onStep={source.step}
      />
    </Suspense>
  );
  const current = convs.current;

  return (
    <div className={`app${source.target && sideBySide ? ' with-source' : ''}${desktop ? ' desktop' : ''}`}>
      <button type="button" className="skip-link" onClick={() => a.composer.current?.focus()}>
        Skip to the question box
      </button>
      {desktop ? (
        <aside className="app-sidebar" aria-label="Library">
          {sidebar}
        </aside>
      ) : (
        <Sheet open={drawer} onOpenChange={setDrawer} side="left" title="Library">
          {sidebar}
        </Sheet>
      )}
      <main className="app-main">
        <ConversationHeader
          title={current ? conversationTitle(current) : 'New conversation'}
          canExport={!!current?.turns.length}
          onExport={() => current && a.exportConversation(current)}
          onNew={convs.create}
          {...(!desktop ? { onOpenLibrary: () => setDrawer(true) } : {})}
          // Beside an open source the column is narrow: the engine's short name leaves the title room.
          engines={<EnginesMenu api={engines} compact={phone || (!!source.target && sideBySide)} />}
        />
        <div className="banners">
          <UpdateBanner />
          <LibraryBanners
            status={lib.status}
            interrupted={lib.interrupted}
            onResume={() => void lib.resumeInterrupted()}
            onForget={() => void lib.discardInterrupted()}
          />
        </div>
        <ConversationView
          conversationId={current?.id}
          turns={a.turns}
          documentCount={lib.documents.length}
          loading={lib.status.phase === 'loading' ? lib.status : null}
          samples={a.samples}
          engineName={a.engineName}
          onAsk={a.ask}
          onAddFiles={a.add}
          onOpenSource={a.openCitation}
          onSwitchEngine={(id) => void engines.use(id)}
          scroller={a.scroller}
          // Where the library is a drawer or sheet, the first files' progress shows here too.
          {...(!desktop && !drawer && !lib.documents.length && Object.keys(lib.fileProgress).length
            ? {
                adding: (
                  <IndexingProgress
                    files={Object.values(lib.fileProgress)}
                    {...(lib.status.phase === 'ready' ? { device: lib.status.device } : {})}
                    onCancel={lib.cancelAdding}
                  />
                ),
              }
            : {})}
        >
          <Composer
            ref={a.composer}
            busy={a.answers.busy}
            blocked={a.blocked}
            placeholder={
              lib.documents.length || lib.status.phase === 'loading'
                ? 'Ask about your documents…'
                : 'Add a document to ask about it'
            }
            onAsk={a.ask}
            onStop={a.answers.stop}
            scope={<ScopePicker api={a.collections} />}
          />
        </ConversationView>
      </main>
      {source.target &&
        (sideBySide ? (
          <aside
            className="app-source"
            aria-label="Source"
            // Esc closes the panel from anywhere inside it (as a sheet, Radix's dialog does this).
            onKeyDown={(e) => {
              if (e.key !== 'Escape') return;
              e.stopPropagation();
              a.closeSource();
            }}
          >
            {panel}
          </aside>
        ) : (
          <Sheet
            open
            onOpenChange={(o) => !o && a.closeSource()}
            side={phone ? 'bottom' : 'right'}
            title="Source"
            onCloseAutoFocus={(e) => e.preventDefault()}
          >
            {panel}
          </Sheet>
        ))}
      {a.dialog && (
        <Suspense fallback={null}>
          <Dialogs
            open={a.dialog}
            onOpen={a.setDialog}
            reembed={lib.reembedding}
            servers={engines}
            onExport={a.exportBackup}
            onImport={a.importBackup}
            unavailable={
              lib.status.phase === 'ready'
                ? null
                : lib.status.phase === 'loading'
                  ? 'Your library is still opening.'
                  : 'Your library is not available in this tab.'
            }
            evaluate={lib.evaluate}
            info={lib.info}
            lastAnswerMs={a.lastAnswerMs}
          />
        </Suspense>
      )}
      {a.dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-card">
            <FileUp size={32} aria-hidden />
            <strong>Drop to add to your library</strong>
            <span>Files and whole folders; they stay on this device.</span>
          </div>
        </div>
      )}
    </div>
  );
}
