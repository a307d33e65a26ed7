import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { ExportFormat } from '../../lib/export/input';
import type { ReviewRecord } from '../../lib/store/db';
import type { HubLink } from '../../lib/sync/hub-link';
import { describeError } from '../common/describe-error';
import { download } from './download';

const FORMATS: { format: ExportFormat; label: () => string }[] = [
  { format: 'docx', label: () => i18n.t('exportDocx') },
  { format: 'html', label: () => i18n.t('exportHtml') },
  { format: 'markdown', label: () => i18n.t('exportMarkdown') },
  { format: 'csv', label: () => i18n.t('exportCsv') },
  { format: 'w3c', label: () => i18n.t('exportW3c') },
];

/**
 * Export of one review: the resolution summary (DOCX, HTML to print as PDF, Markdown), the
 * comment table (CSV) or the annotations (W3C JSON-LD), downloaded or copied. The exporters load
 * only when asked (the DOCX writer is most of their weight): the popup opens as fast as before.
 */
export function ExportMenu({ client, record, open }: { client: HubLink; record: ReviewRecord; open?: boolean }) {
  const [format, setFormat] = useState<ExportFormat>('docx');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const run = async (action: 'download' | 'copy') => {
    setBusy(true);
    setStatus(i18n.t('exportWorking'));
    try {
      const [{ exportReview, exportFileName, MEDIA_TYPES }, input] = await Promise.all([import('../../lib/export'), client.request('export-input', { review: record.id })]);
      const exportedAt = Date.now();
      const chosen = action === 'copy' ? 'markdown' : format;
      const output = await exportReview({ ...input, exportedAt }, chosen);
      const compared = input.latest ? '' : ` ${i18n.t('exportNotCompared')}`;
      if (action === 'copy') {
        await navigator.clipboard.writeText(output as string);
        setStatus(i18n.t('exportCopied') + compared);
      } else {
        const name = exportFileName(input.state.meta?.title ?? record.title, exportedAt, chosen);
        download(output, MEDIA_TYPES[chosen], name);
        setStatus(i18n.t('exportSaved', [name]) + compared);
      }
    } catch (e) {
      setStatus(i18n.t('exportFailed', [describeError(e)]));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details class="export" open={open || undefined}>
      <summary>{i18n.t('exportTitle')}</summary>
      <label>
        {i18n.t('exportFormat')}{' '}
        <select value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value as ExportFormat)}>
          {FORMATS.map((f) => (
            <option key={f.format} value={f.format}>
              {f.label()}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="button" class="export-download" disabled={busy} onClick={() => void run('download')}>
        {i18n.t('exportDownload')}
      </button>{' '}
      <button type="button" class="export-copy" disabled={busy} onClick={() => void run('copy')}>
        {i18n.t('exportCopyMarkdown')}
      </button>
      <p class="export-status" role="status">
        {status}
      </p>
    </details>
  );
}
