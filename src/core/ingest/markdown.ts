import { Lexer, type Token, type Tokens } from 'marked';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';

/** Markdown: marked's lexer gives the structure; inline markup is reduced to its words. */
export function parseMarkdown(source: string): ParsedDocument {
  const builder = new DocumentBuilder('markdown');
  let title: string | undefined;
  const tokens = new Lexer({ gfm: true }).lex(source.replace(/\r\n?/g, '\n'));

  const walk = (list: Token[], quote = false): void => {
    for (const token of list) {
      switch (token.type) {
        case 'heading': {
          const t = token as Tokens.Heading;
          const text = inlineText(t.tokens);
          if (!title && t.depth === 1) title = text;
          builder.heading(text, t.depth);
          break;
        }
        case 'paragraph':
        case 'text': {
          const t = token as Tokens.Paragraph | Tokens.Text;
          builder.block(t.tokens ? inlineText(t.tokens) : t.text, quote ? 'quote' : 'paragraph');
          break;
        }
        case 'list':
          for (const item of (token as Tokens.List).items) {
            builder.block(
              item.tokens
                .map((t) =>
                  'tokens' in t && t.tokens ? inlineText(t.tokens) : 'text' in t ? stripTags(String(t.text)) : '',
                )
                .join(' '),
              'list-item',
            );
          }
          break;
        case 'code':
          builder.block((token as Tokens.Code).text, 'code');
          break;
        case 'blockquote':
          walk((token as Tokens.Blockquote).tokens, true);
          break;
        case 'table': {
          const t = token as Tokens.Table;
          builder.block(t.header.map((c) => inlineText(c.tokens)).join(' | '), 'table-row');
          for (const row of t.rows) builder.block(row.map((c) => inlineText(c.tokens)).join(' | '), 'table-row');
          break;
        }
        case 'html':
          builder.block(stripTags((token as Tokens.HTML).text));
          break;
        default:
          break;
      }
    }
  };
  walk(tokens);
  return builder.build(title ? { title } : {});
}

function inlineText(tokens: Token[]): string {
  let out = '';
  for (const t of tokens) {
    if (t.type === 'image') out += (t as Tokens.Image).text;
    else if (t.type === 'br') out += ' ';
    else if (t.type === 'html') out += stripTags((t as Tokens.Tag).text);
    else if ('tokens' in t && t.tokens) out += inlineText(t.tokens);
    else if (t.type === 'escape' || t.type === 'codespan' || t.type === 'text') out += (t as Tokens.Text).text;
  }
  return decodeEntities(out);
}

/** Raw HTML inside Markdown is data: keep its words, never its markup. */
function stripTags(html: string): string {
  return decodeEntities(html.replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' '));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };
function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, e: string) => ENTITIES[e]!);
}
