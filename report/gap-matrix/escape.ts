// Everything the matrix shows that we did not write (titles, reasons, errors, log lines) goes
// through here: a `<script>` in an error must read as text, never run.

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A link target that cannot run code: relative paths and http(s) only, escaped for an attribute. */
export function safeHref(href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !/^https?:/i.test(href)) return undefined;
  return escapeHtml(href);
}

/**
 * Escapes text for a Markdown table cell or paragraph with Markdown's own backslashes, never HTML
 * entities (a reader of the raw file sees the text as written): emphasis, links, code, "|" and "<"
 * (so a renderer passes no tag through), and newlines folded so a row stays one line.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]|<])/g, '\\$1').replace(/\r?\n/g, ' ');
}

/** A CSS-safe class name for an outcome or status: "gap confirmed" → "gap-confirmed", "n/a" → "n-a". */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'none';
}
