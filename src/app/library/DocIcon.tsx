import {
  BookOpen,
  File,
  FileCode2,
  FileImage,
  FileSpreadsheet,
  FileText,
  FileType2,
  Presentation,
  type LucideIcon,
} from 'lucide-react';
import './library.css';

/** One icon per document type; types this version does not know yet get the generic one. */
const ICONS: Record<string, LucideIcon> = {
  pdf: FileText,
  docx: FileType2,
  html: FileCode2,
  markdown: FileText,
  text: FileText,
  image: FileImage,
  pptx: Presentation,
  xlsx: FileSpreadsheet,
  csv: FileSpreadsheet,
  epub: BookOpen,
};

export const TYPE_LABEL: Record<string, string> = {
  pdf: 'PDF',
  docx: 'Word',
  html: 'Web page',
  markdown: 'Markdown',
  text: 'Text',
  image: 'Image',
  pptx: 'Slides',
  xlsx: 'Spreadsheet',
  csv: 'CSV',
  epub: 'EPUB',
};

export function typeLabel(type: string): string {
  return TYPE_LABEL[type] ?? type.toUpperCase();
}

export function DocIcon({ type, size = 18 }: { type: string; size?: number }) {
  const Icon = ICONS[type] ?? File;
  return (
    <span className={`doc-icon doc-icon-${ICONS[type] ? type : 'other'}`} aria-hidden="true">
      <Icon size={size} strokeWidth={1.75} />
    </span>
  );
}
