/**
 * What a file is shown as: its size in the visitor's language, whether it may be an image,
 * and the URL it may be fetched from (or none).
 */

/** Shown as pictures: raster formats only, decided from the server's type. An SVG is a
 * document that can carry scripts and is never one, whatever it is called. */
const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export const isRasterImage = (type: string): boolean => RASTER.has(type.toLowerCase().split(';')[0]!.trim());

const units = [
  [1024 * 1024 * 1024, 'gigabyte'],
  [1024 * 1024, 'megabyte'],
  [1024, 'kilobyte'],
] as const;

/** `12.5 MB`, `3 KB`, `42 byte` as the language writes it (binary multiples, as file managers count). */
export function sizeLabel(bytes: number, lang: string): string {
  const [divisor, unit] = units.find(([size]) => bytes >= size) ?? [1, 'byte'];
  const options: Intl.NumberFormatOptions = { style: 'unit', unit, unitDisplay: unit === 'byte' ? 'long' : 'short', maximumFractionDigits: bytes >= 10 * divisor ? 0 : 1 };
  try {
    return new Intl.NumberFormat(lang, options).format(bytes / divisor);
  } catch {
    // An invalid language tag: the browser's own format, not a broken row.
    return new Intl.NumberFormat(undefined, options).format(bytes / divisor);
  }
}

/** `url` as an http(s) address, a relative one resolved against the chat service's base;
 * anything else (`javascript:`, `data:`, garbage) is no address at all. */
export function safeUrl(url: string, base: string): string | undefined {
  try {
    const parsed = new URL(url, base || undefined);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** A short label for a card's icon: the name's extension, else the type's subtype. */
export function kindLabel(name: string, type: string): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1] ?? /\/([a-z0-9]{1,5})$/i.exec(type)?.[1] ?? '';
  return ext.toUpperCase();
}
