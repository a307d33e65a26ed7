import { i18n } from '#i18n';

const NONE = '';

interface Props {
  groups: { id: string; name: string }[];
  value: string | null;
  onChange: (group: string | null) => void;
}

/** For a chair's first comment on a draft: which group the new review is shared with. */
export function GroupChoice({ groups, value, onChange }: Props) {
  return (
    <label class="group-choice">
      {i18n.t('shareWith')}
      <select value={value ?? NONE} onChange={(e) => onChange((e.target as HTMLSelectElement).value || null)}>
        {groups.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
        <option value={NONE}>{i18n.t('onlyThisBrowser')}</option>
      </select>
    </label>
  );
}
