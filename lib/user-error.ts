/**
 * An error meant for the person using Margins. `code` names its message in locales/ (with `args` for
 * $1, $2…), so the page that shows it can say it in the reader's language; `message` is the English
 * text, for logs, tests and anything that does not know the code. lib/ stays free of the extension's
 * i18n: the code travels, the page translates (components/common/describe-error.ts).
 */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly args: string[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The code and arguments of an error, when it has them (a UserError, or one rebuilt from a reply). */
export function errorCode(error: unknown): { code: string; args: string[] } | null {
  const e = error as { code?: unknown; args?: unknown } | null;
  if (typeof e?.code !== 'string') return null;
  return { code: e.code, args: Array.isArray(e.args) ? e.args.map(String) : [] };
}
