import { useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { ReviewSession } from '../../lib/panel/session';
import { describeError } from '../common/describe-error';

/** Larger than any export of a review of 5,000 threads (12 MB): a file meant for something else. */
const MAX_FILE = 32 * 1024 * 1024;

/**
 * Import of annotations another tool exported (W3C Web Annotation JSON-LD) as this member's
 * comments. What could not be used is listed with the reason; passages the matcher could not
 * place land under Orphans.
 */
export function ImportAnnotations({ session }: { session: ReviewSession }) {
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<{ text: string; skipped: { id: string; reason: string }[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const read = async (file: File) => {
    setBusy(true);
    setStatus({ text: i18n.t('importWorking'), skipped: [] });
    try {
      if (file.size > MAX_FILE) throw new Error(i18n.t('importTooLarge'));
      let doc: unknown;
      try {
        doc = JSON.parse(await file.text());
      } catch {
        throw new Error(i18n.t('importNotJson'));
      }
      const done = await session.importAnnotations(doc);
      const summary = i18n.t('importDone', [String(done.threads), String(done.replies), String(done.orphans), String(done.skipped.length)]);
      setStatus({ text: done.stopped ? `${i18n.t('importFailed', [describeError(done.stopped)])} ${summary}` : summary, skipped: done.skipped });
    } catch (e) {
      setStatus({ text: i18n.t('importFailed', [describeError(e)]), skipped: [] });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div class="import">
      <button type="button" class="link import-open" disabled={busy} onClick={(e) => e.isTrusted && input.current?.click()}>
        {i18n.t('importAnnotations')}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept=".jsonld,.json,application/ld+json,application/json"
        onChange={(e) => {
          const file = (e.target as HTMLInputElement).files?.[0];
          if (file) void read(file);
        }}
      />
      {status ? (
        <div class="import-status" role="status">
          <p>{status.text}</p>
          {status.skipped.length ? (
            <details>
              <summary>{i18n.t('importSkippedList', [String(status.skipped.length)])}</summary>
              <ul>
                {status.skipped.slice(0, 50).map((s, i) => (
                  <li key={i}>
                    {s.id}: {s.reason}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
