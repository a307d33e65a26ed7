import { i18n } from '#i18n';

interface Props {
  submitLabel: string;
  disabled: boolean;
  onCancel: () => void;
}

/** The submit and Cancel buttons under the sidebar's forms. */
export function FormActions({ submitLabel, disabled, onCancel }: Props) {
  return (
    <div class="actions">
      <button type="submit" class="primary" disabled={disabled}>
        {submitLabel}
      </button>
      <button type="button" onClick={onCancel}>
        {i18n.t('cancel')}
      </button>
    </div>
  );
}
