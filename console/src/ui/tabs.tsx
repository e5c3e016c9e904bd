// Tabs as the WAI-ARIA pattern has them: a tablist whose arrow keys move between tabs, one panel shown.
import type { ComponentChildren } from 'preact';

export function Tabs<T extends string>(props: { label: string; tabs: readonly (readonly [T, string])[]; current: T; onSelect(tab: T): void; children: ComponentChildren }) {
  const index = props.tabs.findIndex(([t]) => t === props.current);
  const onKey = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = props.tabs[(index + step + props.tabs.length) % props.tabs.length]![0];
    props.onSelect(next);
    // Focus follows the selection (the new tab renders with tabIndex 0).
    requestAnimationFrame(() => (document.getElementById(`tab-${next}`) as HTMLElement | null)?.focus());
  };
  return (
    <>
      <div class="tabs" role="tablist" aria-label={props.label} onKeyDown={onKey}>
        {props.tabs.map(([t, text]) => (
          <button key={t} id={`tab-${t}`} type="button" role="tab" aria-selected={t === props.current} aria-controls={`panel-${t}`}
            tabIndex={t === props.current ? 0 : -1} onClick={() => props.onSelect(t)}>{text}</button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${props.current}`} aria-labelledby={`tab-${props.current}`}>{props.children}</div>
    </>
  );
}
