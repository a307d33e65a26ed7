import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import { i18n } from '#i18n';

export type Tab = 'threads' | 'orphans';
const TABS: Tab[] = ['threads', 'orphans'];

interface Props {
  tab: Tab;
  onTab: (tab: Tab) => void;
  counts: Record<Tab, number>;
  children: ComponentChildren;
}

/** Comments placed in the draft, and orphans whose passage is gone: a WAI-ARIA tab list. */
export function Tabs({ tab, onTab, counts, children }: Props) {
  const refs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const label = (t: Tab) => `${t === 'threads' ? i18n.t('threadsTab') : i18n.t('orphansTab')} (${counts[t]})`;
  const move = (delta: number) => {
    const next = TABS[(TABS.indexOf(tab) + delta + TABS.length) % TABS.length];
    onTab(next);
    refs.current[next]?.focus();
  };
  return (
    <>
      <div
        class="tabs"
        role="tablist"
        aria-label={i18n.t('threadsLabel')}
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
            e.preventDefault();
            move(e.key === 'ArrowRight' ? 1 : -1);
          }
        }}
      >
        {TABS.map((t) => (
          <button
            key={t}
            ref={(el) => {
              refs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t}`}
            class={`tab tab-${t}`}
            aria-selected={tab === t}
            aria-controls="tab-panel"
            tabIndex={tab === t ? 0 : -1}
            onClick={() => onTab(t)}
          >
            {label(t)}
          </button>
        ))}
      </div>
      <div id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {children}
      </div>
    </>
  );
}
