import { i18n } from '#i18n';
import { errorCode } from '../../lib/user-error';

/**
 * What to show for an error: its message in the reader's language when it names one in locales/
 * (a UserError from lib/ or the hub), otherwise the error's own text (the browser's, in the browser's
 * language).
 */
export function describeError(error: unknown): string {
  const coded = errorCode(error);
  if (coded) {
    const text = (i18n.t as (key: string, subs?: string[]) => string)(coded.code, coded.args);
    if (text && text !== coded.code) return text;
  }
  return (error as Error)?.message ?? String(error);
}
