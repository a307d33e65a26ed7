import { i18n } from '#i18n';
import { isFiltering, NO_FILTERS, type FilterCounts, type Filters, type StatusFilter } from '../../lib/panel/filters';
import type { ReviewState } from '../../lib/review/state';
import { nameOf } from '../common/names';

interface Props {
  filters: Filters;
  counts: FilterCounts;
  state: ReviewState;
  onChange: (filters: Filters) => void;
}

const ANY = '';
const withCount = (label: string, n: number) => `${label} (${n})`;

/** Narrow the thread list; every option says how many threads it would show. */
export function FilterBar({ filters, counts, state, onChange }: Props) {
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const statusLabel: Record<StatusFilter, string> = { all: i18n.t('filterAll'), open: i18n.t('statusOpen'), resolved: i18n.t('statusResolved') };
  return (
    <fieldset class="filters">
      <legend class="visually-hidden">{i18n.t('filtersLabel')}</legend>
      <label>
        {i18n.t('filterStatus')}
        <select class="filter-status" value={filters.status} onChange={(e) => set({ status: (e.target as HTMLSelectElement).value as StatusFilter })}>
          {(['all', 'open', 'resolved'] as const).map((s) => (
            <option key={s} value={s}>
              {withCount(statusLabel[s], counts.status[s])}
            </option>
          ))}
        </select>
      </label>
      <label>
        {i18n.t('filterAuthor')}
        <select class="filter-author" value={filters.author ?? ANY} onChange={(e) => set({ author: (e.target as HTMLSelectElement).value || null })}>
          <option value={ANY}>{i18n.t('filterAnyone')}</option>
          {[...counts.authors].map(([key, n]) => (
            <option key={key} value={key}>
              {withCount(nameOf(state, key), n)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {i18n.t('filterSection')}
        <select class="filter-section" value={filters.section === null ? ANY : `#${filters.section}`} onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value;
          set({ section: v === ANY ? null : v.slice(1) });
        }}>
          <option value={ANY}>{i18n.t('filterAllSections')}</option>
          {/* Section values carry a leading '#', so "no heading" ('') stays distinct from "any". */}
          {[...counts.sections].map(([section, n]) => (
            <option key={section} value={`#${section}`}>
              {withCount(section || i18n.t('noSection'), n)}
            </option>
          ))}
        </select>
      </label>
      <label class="check">
        <input type="checkbox" class="filter-mine" checked={filters.mine} onChange={(e) => set({ mine: (e.target as HTMLInputElement).checked })} />
        {withCount(i18n.t('filterMine'), counts.mine)}
      </label>
      <label class="check">
        <input type="checkbox" class="filter-unanswered" checked={filters.unanswered} onChange={(e) => set({ unanswered: (e.target as HTMLInputElement).checked })} />
        {withCount(i18n.t('filterUnanswered'), counts.unanswered)}
      </label>
      {isFiltering(filters) ? (
        <button type="button" class="link clear-filters" onClick={() => onChange(NO_FILTERS)}>
          {i18n.t('clearFilters')}
        </button>
      ) : null}
    </fieldset>
  );
}

/** What the highlight colours in the draft mean. */
export function Legend() {
  return (
    <ul class="legend" aria-label={i18n.t('legendLabel')}>
      <li>
        <span class="swatch commented" aria-hidden="true" /> {i18n.t('legendCommented')}
      </li>
      <li>
        <span class="swatch focus" aria-hidden="true" /> {i18n.t('legendSelected')}
      </li>
    </ul>
  );
}
