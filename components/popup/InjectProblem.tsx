import { i18n } from '#i18n';

/** The overlay could not be put on this page: say so, with the browser's reason. */
export function InjectProblem({ message }: { message: string }) {
  return (
    <p class="inject-problem" role="alert">
      {i18n.t('cannotOpenHere', [message])}
    </p>
  );
}
