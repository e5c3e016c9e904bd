// A mapping template editor that knows Velocity's shape: it inserts API Gateway's variables ($input, $context,
// $stageVariables, $util) at the cursor and points out unbalanced directives (#if / #foreach / #macro without #end)
// and unclosed ${…} before the server sees the template.
import { useRef } from 'preact/hooks';

const SNIPPETS: [string, string][] = [
  ["$input.json('$')", 'The whole body as JSON'],
  ["$input.path('$')", 'The body as an object'],
  ["$input.params('name')", 'A path, query or header parameter'],
  ['$input.body', 'The raw body'],
  ['$context.requestId', 'The request id'],
  ['$context.httpMethod', 'The HTTP method'],
  ['$context.identity.sourceIp', 'The caller IP'],
  ['$stageVariables.name', 'A stage variable'],
  ["$util.escapeJavaScript($input.json('$'))", 'Escape for JSON strings'],
  ['#foreach($item in $list)\n#end', 'A loop'],
  ['#if($condition)\n#end', 'A condition'],
];

/** Problems a reader sees at a glance: unbalanced block directives and unclosed references. Velocity comments skipped. */
export function velocityProblems(template: string): string[] {
  const text = template.replace(/#\*[\s\S]*?\*#/g, '').replace(/##[^\n]*/g, '');
  const problems: string[] = [];
  let depth = 0;
  for (const m of text.matchAll(/#\{?(if|foreach|macro|define|end|else|elseif)\b\}?/g)) {
    if (m[1] === 'end') depth--;
    else if (m[1] !== 'else' && m[1] !== 'elseif') depth++;
    if (depth < 0) {
      problems.push('An #end closes nothing');
      depth = 0;
    }
  }
  if (depth > 0) problems.push(`${depth} #if/#foreach/#macro without #end`);
  const opens = (text.match(/\$!?\{/g) ?? []).length;
  const closes = (text.match(/\$!?\{[^}]*\}/g) ?? []).length;
  if (opens > closes) problems.push('A ${ reference is not closed with }');
  return problems;
}

export function TemplateEditor(props: { label: string; value: string; onInput(v: string): void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const insert = (snippet: string) => {
    const el = area.current;
    if (!el) return;
    const { selectionStart: a, selectionEnd: b } = el;
    const next = el.value.slice(0, a) + snippet + el.value.slice(b);
    props.onInput(next);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(a + snippet.length, a + snippet.length);
    });
  };
  const problems = velocityProblems(props.value);
  return (
    <div class="field template-editor">
      <label for="template-body">{props.label}</label>
      <div class="actions snippets" aria-label="Insert">
        {SNIPPETS.map(([s, title]) => <button key={s} type="button" class="btn plain mono small" title={title} onClick={() => insert(s)}>{s.split('\n')[0]}</button>)}
      </div>
      <textarea id="template-body" ref={area} class="code" rows={12} value={props.value} spellcheck={false}
        onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
        onKeyDown={(e) => {
          // Tab indents inside the editor; Escape then Tab leaves it (keyboard users are never trapped).
          if (e.key === 'Tab' && !e.shiftKey && !(e.currentTarget as HTMLTextAreaElement).dataset.escaped) {
            e.preventDefault();
            insert('  ');
          }
          if (e.key === 'Escape') (e.currentTarget as HTMLTextAreaElement).dataset.escaped = '1';
        }}
        onBlur={(e) => { delete (e.currentTarget as HTMLTextAreaElement).dataset.escaped; }} />
      <small class="hint">Velocity Template Language; Tab indents, Escape then Tab moves on.</small>
      {problems.map((p) => <p key={p} class="note warn" role="status">{p}</p>)}
    </div>
  );
}
