// An editor for a string map (stage variables, header mappings, request templates' content types…): rows of
// name and value, add and remove; the parent saves.
import { Button } from './controls.tsx';

export type Pairs = [string, string][];

export const toPairs = (m: Record<string, string> | undefined): Pairs => Object.entries(m ?? {});
export const fromPairs = (p: Pairs): Record<string, string> => Object.fromEntries(p.filter(([k]) => k.trim() !== '').map(([k, v]) => [k.trim(), v]));

export function KeyValueEditor(props: { label: string; pairs: Pairs; onChange(p: Pairs): void; keyLabel?: string; valueLabel?: string; keyPlaceholder?: string; valuePlaceholder?: string }) {
  const { pairs, onChange } = props;
  const set = (i: number, j: 0 | 1, v: string) => onChange(pairs.map((p, n) => (n === i ? (j === 0 ? [v, p[1]] : [p[0], v]) : p)));
  return (
    <fieldset class="kv-editor">
      <legend>{props.label}</legend>
      {pairs.length === 0 && <p class="muted">None.</p>}
      {pairs.map(([k, v], i) => (
        <div class="row" key={i}>
          <input aria-label={`${props.keyLabel ?? 'Name'} ${i + 1}`} value={k} placeholder={props.keyPlaceholder} spellcheck={false}
            onInput={(e) => set(i, 0, (e.currentTarget as HTMLInputElement).value)} />
          <input aria-label={`${props.valueLabel ?? 'Value'} ${i + 1}`} value={v} placeholder={props.valuePlaceholder} spellcheck={false}
            onInput={(e) => set(i, 1, (e.currentTarget as HTMLInputElement).value)} />
          <Button variant="plain" aria-label={`Remove ${k || `row ${i + 1}`}`} onClick={() => onChange(pairs.filter((_, n) => n !== i))}>Remove</Button>
        </div>
      ))}
      <Button variant="plain" onClick={() => onChange([...pairs, ['', '']])}>Add {(props.keyLabel ?? 'entry').toLowerCase()}</Button>
    </fieldset>
  );
}
