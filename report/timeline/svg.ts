// Markup is built only through these helpers, so no outside string can reach the SVG unescaped.
import { escapeXml } from './escape.ts';
import { fit } from './theme.ts';

/** A fragment that is already SVG; a plain string is always text and gets escaped. */
export class Svg {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** Attribute values; undefined and false leave the attribute out. */
export type Attrs = Record<string, string | number | boolean | undefined>;

/** A child: markup, text (escaped), or nothing. */
export type Child = Svg | string | undefined | false;

/** One element; attribute values and string children are escaped, numbers rounded for a small file. */
export function el(name: string, attrs: Attrs = {}, ...children: Child[]): Svg {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? String(px(v)) : String(v))}"`)
    .join('');
  const body = join(children).markup;
  return new Svg(body ? `<${name}${a}>${body}</${name}>` : `<${name}${a}/>`);
}

/** Concatenates children, escaping the strings among them. */
export function join(children: Child[]): Svg {
  return new Svg(children.map((c) => (c instanceof Svg ? c.markup : c ? escapeXml(c) : '')).join(''));
}

/** A hover tooltip: the first child of an element, as SVG requires. */
export function tooltip(text: string): Svg {
  return el('title', {}, text);
}

/** A text that fits `maxPx`; when shortened, the whole text is its tooltip. */
export function labelled(cls: string, text: string, maxPx: number, attrs: Attrs): Svg {
  const size = Number(attrs['font-size'] ?? 12);
  const shown = fit(text, maxPx, size);
  return el('text', { class: cls, ...attrs }, shown === text ? undefined : tooltip(text), shown);
}

/** Coordinates rounded to 0.1 px: enough for the eye, and the file stays small. */
export function px(v: number): number {
  return Math.round(v * 10) / 10;
}
