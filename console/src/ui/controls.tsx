// The console's small building blocks: form fields, buttons, notes and tables, styled by styles.css.
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';

let nextId = 0;
/** A stable id for a label's `for`. */
function useId(): string {
  const [id] = useState(() => `f${++nextId}`);
  return id;
}

export function Field(props: { label: string; hint?: string; children: (id: string) => ComponentChildren }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id)}
      {props.hint && <small class="hint">{props.hint}</small>}
    </div>
  );
}

export function TextField(props: { label: string; value: string; onInput(v: string): void; hint?: string; type?: string; placeholder?: string; required?: boolean; name?: string; autoFocus?: boolean; autocomplete?: string }) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <input id={id} name={props.name} type={props.type ?? 'text'} value={props.value} placeholder={props.placeholder} required={props.required}
          autoFocus={props.autoFocus} autocomplete={props.autocomplete ?? 'off'} spellcheck={false}
          onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)} />
      )}
    </Field>
  );
}

export function TextArea(props: { label: string; value: string; onInput(v: string): void; hint?: string; rows?: number; name?: string; code?: boolean }) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <textarea id={id} name={props.name} rows={props.rows ?? 6} class={props.code ? 'code' : undefined} value={props.value} spellcheck={false}
          onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)} />
      )}
    </Field>
  );
}

export function SelectField<T extends string>(props: { label: string; value: T; options: readonly (T | readonly [T, string])[]; onChange(v: T): void; hint?: string; name?: string }) {
  return (
    <Field label={props.label} hint={props.hint}>
      {(id) => (
        <select id={id} name={props.name} value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as T)}>
          {props.options.map((o) => {
            const [value, text] = typeof o === 'string' ? [o, o] : o;
            return <option key={value} value={value}>{text}</option>;
          })}
        </select>
      )}
    </Field>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onChange(v: boolean): void; name?: string }) {
  return (
    <label class="check">
      <input type="checkbox" name={props.name} checked={props.checked} onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      {props.label}
    </label>
  );
}

export function Button(props: JSX.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'danger' | 'plain'; busy?: boolean }) {
  const { variant, busy, class: cls, disabled, type, ...rest } = props;
  return <button {...rest} type={type ?? 'button'} class={['btn', variant ?? '', String(cls ?? '')].join(' ').trim()} disabled={Boolean(disabled) || busy} aria-busy={busy || undefined} />;
}

/** AWS's error message, announced to screen readers. */
export function ErrorNote(props: { error: string | undefined }) {
  if (!props.error) return null;
  return <p class="note error" role="alert">{props.error}</p>;
}

export function Note(props: { children: ComponentChildren; kind?: 'info' | 'success' | 'warn' }) {
  return <p class={`note ${props.kind ?? 'info'}`} role="status">{props.children}</p>;
}

export function Loading(props: { what?: string }) {
  return <p class="loading" role="status">Loading{props.what ? ` ${props.what}` : ''}…</p>;
}

/** A titled panel: a region named by its title (tests and screen readers find it by that name). */
export function Section(props: { title: string; children: ComponentChildren; actions?: ComponentChildren; id?: string }) {
  const auto = useId();
  const id = props.id ?? auto;
  return (
    <section class="panel" aria-labelledby={id}>
      <header class="panel-head">
        <h2 id={id}>{props.title}</h2>
        {props.actions && <div class="actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

/** Copies text to the clipboard; says so for a moment. */
export function CopyButton(props: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <Button variant="plain" aria-label={props.label ?? 'Copy'} onClick={async () => {
      await navigator.clipboard.writeText(props.text);
      setDone(true);
      setTimeout(() => setDone(false), 1500);
    }}>{done ? 'Copied' : 'Copy'}</Button>
  );
}
