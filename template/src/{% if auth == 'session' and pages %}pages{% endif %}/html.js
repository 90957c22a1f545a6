// Shared, framework-free: html`…` (escaping tag), escapeHtml(value), layout({ title, nonce, body }) → page string.
// HTML without a template engine: the `html` tag escapes every interpolated
// value unless it is itself the output of `html` (already safe markup). Nothing
// reaches a page unescaped by accident, and there is no inline event handler or
// style attribute anywhere: the only inline <style> and <script> carry the nonce.

const ENTITIES = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&#39;'],
]);

class SafeHtml {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

/** @param {unknown} value */
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ENTITIES.get(char));
}

const render = (value) => {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
};

/** Tagged template: html`<p>${userInput}</p>` escapes userInput. */
export function html(strings, ...values) {
  // String.raw interleaves the literal parts (here: as written, not re-escaped) with the rendered values.
  return new SafeHtml(String.raw({ raw: strings }, ...values.map(render)));
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; color: #1a1a1a; }
  label { display: block; margin: 1rem 0 .25rem; }
  input { width: 100%; padding: .5rem; box-sizing: border-box; font: inherit; }
  button { margin-top: 1.25rem; padding: .5rem 1.25rem; font: inherit; cursor: pointer; }
  .error { color: #a40000; border-left: 3px solid #a40000; padding-left: .75rem; }
  dt { font-weight: 600; }
`;
// Disable a form's button once it is submitted (no double submission).
const SCRIPT = `
  for (const form of document.querySelectorAll('form')) {
    form.addEventListener('submit', () => {
      for (const button of form.querySelectorAll('button')) button.disabled = true;
    });
  }
`;

/**
 * A whole page. The nonce is the one in this response's Content-Security-Policy.
 * @param {object} page
 * @param {string} page.title
 * @param {string} page.nonce
 * @param {SafeHtml} page.body
 */
export function layout({ title, nonce, body }) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style nonce="${nonce}">${new SafeHtml(STYLE)}</style>
</head>
<body>
<main>
${body}
</main>
<script nonce="${nonce}">${new SafeHtml(SCRIPT)}</script>
</body>
</html>
`.text;
}
