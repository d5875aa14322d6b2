import { FolioError } from '../errors';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';

/** Destinations whose text is not the document's: fonts, colours, styles, metadata, pictures, objects. */
const SKIP = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'object',
  'themedata',
  'colorschememapping',
  'datastore',
  'latentstyles',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'xmlnstbl',
  'filetbl',
  'revtbl',
  'header',
  'headerl',
  'headerr',
  'headerf',
  'footer',
  'footerl',
  'footerr',
  'footerf',
  'fldinst',
  'bkmkstart',
  'bkmkend',
  'mmathPr',
  'wgrffmtfilter',
  'pgdsctbl',
  'listtext',
  'pntext',
  'pntxta',
  'pntxtb',
  'background',
  'shppict',
  'nonshppict',
]);

// Windows-1252's 0x80–0x9F (RTF's usual \ansicpg1252); other bytes are Latin-1.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * RTF → paragraphs. A small reader of our own (there is no well-kept RTF parser for the browser):
 * groups, control words, \'hh and \uN characters (with their \ucN fallbacks skipped), \par and
 * \line; destinations that are not body text are skipped; \outlinelevelN marks headings.
 */
export function parseRtf(bytes: Uint8Array, fileName: string): ParsedDocument {
  const src = new TextDecoder('latin1').decode(bytes);
  const builder = new DocumentBuilder('rtf');
  interface State {
    skip: boolean;
    uc: number;
    outline: number;
  }
  const stack: State[] = [];
  let state: State = { skip: false, uc: 1, outline: -1 };
  let para = '';
  let paraOutline = -1;
  let pendingSkip = 0; // fallback characters still to drop after a \uN
  let depth = 0;
  const flush = () => {
    if (para.trim()) {
      if (paraOutline >= 0 && para.trim().length < 200) builder.heading(para, Math.min(6, paraOutline + 1));
      else builder.block(para);
    }
    para = '';
    paraOutline = -1;
  };
  const emit = (text: string) => {
    if (state.skip) return;
    if (pendingSkip > 0) {
      const drop = Math.min(pendingSkip, text.length);
      pendingSkip -= drop;
      text = text.slice(drop);
    }
    if (text) {
      para += text;
      if (state.outline >= 0) paraOutline = state.outline;
    }
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '{') {
      stack.push(state);
      state = { ...state };
      depth++;
      i++;
      // {\*\destination …}: an optional destination a reader that does not know it must skip.
      if (src.startsWith('\\*', i)) {
        state.skip = true;
        i += 2;
      }
      continue;
    }
    if (ch === '}') {
      state = stack.pop() ?? state;
      depth--;
      i++;
      continue;
    }
    if (ch === '\\') {
      const next = src[i + 1];
      if (next === undefined) break;
      if (next === "'") {
        const code = parseInt(src.slice(i + 2, i + 4), 16);
        if (!Number.isNaN(code))
          emit(code >= 0x80 && code < 0xa0 ? CP1252_HIGH[code - 0x80]! : String.fromCharCode(code));
        i += 4;
        continue;
      }
      if (!/[a-zA-Z]/.test(next)) {
        // Control symbols: escaped braces and backslash, non-breaking space and hyphen.
        if (next === '\\' || next === '{' || next === '}') emit(next);
        else if (next === '~') emit('\u00a0');
        else if (next === '_') emit('-');
        else if (next === '\n' || next === '\r') {
          if (!state.skip) flush();
        }
        i += 2;
        continue;
      }
      const m = /^([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(src.slice(i + 1, i + 48))!;
      const word = m[1]!;
      const param = m[2] !== undefined ? Number(m[2]) : undefined;
      i += 1 + m[0].length;
      if (SKIP.has(word)) state.skip = true;
      else if (word === 'par' || word === 'sect' || word === 'page') {
        if (!state.skip) flush();
      } else if (word === 'line' || word === 'tab' || word === 'cell') emit(' ');
      else if (word === 'row') {
        if (!state.skip) flush();
      } else if (word === 'u' && param !== undefined) {
        emit(String.fromCharCode(param < 0 ? param + 65536 : param));
        pendingSkip = state.uc;
      } else if (word === 'uc' && param !== undefined) state.uc = Math.max(0, Math.min(10, param));
      else if (word === 'outlinelevel' && param !== undefined) state.outline = param;
      else if (word === 'pard') state.outline = -1;
      else if (word === 'emdash') emit('—');
      else if (word === 'endash') emit('–');
      else if (word === 'bullet') emit('•');
      else if (word === 'lquote') emit('‘');
      else if (word === 'rquote') emit('’');
      else if (word === 'ldblquote') emit('“');
      else if (word === 'rdblquote') emit('”');
      else if (word === 'bin' && param !== undefined) i += Math.max(0, param);
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      i++;
      continue;
    }
    // A run of plain text up to the next control character.
    let j = i;
    while (j < src.length && src[j] !== '\\' && src[j] !== '{' && src[j] !== '}' && src[j] !== '\r' && src[j] !== '\n')
      j++;
    emit(src.slice(i, j));
    i = j;
  }
  flush();
  if (depth > 0 && !builder.build().text)
    throw new FolioError(
      'corrupt-file',
      'the RTF document is damaged (it ends inside a group and has no readable text)',
      fileName,
    );
  return builder.build();
}
