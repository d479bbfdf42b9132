// Node names, keys, values, errors and titles come from outside: one escape for text and attributes.

/** Characters XML 1.0 forbids even when escaped (controls, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Makes any string safe as SVG text or a quoted attribute; invalid XML characters become U+FFFD so the file still parses. */
export function escapeXml(value: string): string {
  return value.replace(INVALID_XML, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
