import mammoth from 'mammoth';
import { FolioError } from '../errors';
import type { ParsedDocument } from '../types';
import { DocumentBuilder } from './builder';
import { fragmentToBlocks } from './html';
import { assertSafeZip } from './zip';

/** DOCX → semantic HTML (mammoth maps Word styles to h1–h6, lists, tables) → blocks. */
export async function parseDocx(bytes: Uint8Array, fileName: string): Promise<ParsedDocument> {
  await assertSafeZip(bytes, fileName, undefined, 'a Word document');
  let html: string;
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const result = await mammoth.convertToHtml(
      // The browser build of mammoth reads `arrayBuffer`, the Node build `buffer`; give both.
      { arrayBuffer: buffer, buffer: bytes } as unknown as { arrayBuffer: ArrayBuffer },
      // Images become their alt text only: embedding base64 pictures would waste memory and tokens.
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
    );
    html = result.value;
  } catch (err) {
    throw new FolioError('corrupt-file', `it is not a readable Word document (${(err as Error).message})`, fileName, {
      cause: err,
    });
  }
  const builder = new DocumentBuilder('docx');
  const tables = fragmentToBlocks(html, builder);
  return builder.build({ tables });
}
