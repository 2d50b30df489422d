import { useTranslation } from 'react-i18next';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { PageView, type PageSize } from './page-view';

interface Props {
  readonly doc: PDFDocumentProxy;
  readonly scale: number;
  readonly baseSize: PageSize;
  readonly visible: ReadonlySet<number>;
  readonly current: number;
  /** Until the first page is drawn, only the current page may draw: the others would slow it down. */
  readonly firstDrawn: boolean;
  readonly highlight: string;
  readonly watermark: string | null;
  readonly onRendered: () => void;
}

/** Every page as a placeholder of its size; those on screen get a canvas. */
export function ReaderPages({ doc, scale, baseSize, visible, current, firstDrawn, highlight, watermark, onRendered }: Props) {
  const { t } = useTranslation();
  return Array.from({ length: doc.numPages }, (_, i) => {
    const page = i + 1;
    return (
      <PageView
        key={page}
        doc={doc}
        page={page}
        scale={scale}
        baseSize={baseSize}
        visible={visible.has(page) && (firstDrawn || page === current)}
        query={highlight}
        watermark={watermark}
        label={t('reader.pageLabel', { page, total: doc.numPages })}
        onRendered={onRendered}
      />
    );
  });
}
