/**
 * The one helper for placing a value someone typed (a company or person's name, a reason,
 * a question, an answer, a contract id) into text others read, so it arrives as text:
 * never formatting, a link, an image or HTML.
 *
 * - markdown: chat messages and Adaptive Card TextBlocks and facts (Web Chat renders them
 *   with markdown-it, HTML and linkify on; Teams with its Markdown subset). What Markdown,
 *   HTML or Adaptive Cards' {{DATE()}} would read is backslash-escaped (CommonMark shows an
 *   escaped character as itself): emphasis, code, links and images, HTML and entities,
 *   tables, and list or heading marks at a line's start. So are the dots, "://" and "@" of
 *   anything that looks like an address, which keeps "evil.example/x" from being linkified
 *   (markdown-it 13+ does not linkify across an escape). Ordinary punctuation ("Co., Ltd.")
 *   is left as typed. Line breaks inside a one-line value become spaces.
 * - html: HTML pages (the dev chat and sign-in pages): &, <, >, " and ' as entities.
 * - email: HTML e-mail bodies: as html, and the dots, "://" and "@" of anything that looks
 *   like an address each in a <span> of its own, so mail clients (which linkify text) do not
 *   turn a typed "evil.example/x" into a link.
 * - text: plain-text e-mail and logs: control characters removed, nothing else changed.
 */
export type TextTarget = 'markdown' | 'html' | 'email' | 'text';

/** Characters that mean something anywhere in a line. */
const MARKDOWN_INLINE = /[\\`*_~[\]<>&|{}@!#$^]/g;
/** At a line's start: a list, quote, heading or setext mark, or "1." / "1)" of an ordered list. */
const LINE_START = /^(\s*)([-+=]|\d+[.)])/;
/** The dot of "a.b" and the colon of "x://": what linkify takes for an address. */
const ADDRESS_PUNCTUATION = /(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}])|:(?=\/\/)/gu;
const HTML_SPECIAL = /[&<>"']/g;
/** In an HTML e-mail: what a mail client's linkifier reads as part of an address (after entity escaping). */
const EMAIL_UNLINK = /(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}])|:(?=\/\/)|@/gu;
const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
// C0 and C1 controls except tab and line breaks, and the bidi overrides that can disguise text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export interface PlaceOptions {
  /** Keep line breaks (a reason, a description, an answer); otherwise the value is one line. */
  multiline?: boolean;
}

export function escapeFor(target: TextTarget, value: unknown, options: PlaceOptions = {}): string {
  let text = (value === null || value === undefined ? '' : String(value)).replace(CONTROLS, '');
  text = options.multiline ? text.replace(/\r\n?/g, '\n') : text.replace(/\s*[\r\n]+\s*/g, ' ');
  switch (target) {
    case 'markdown':
      // Each line on its own: a line break inside a paragraph is a hard break in both channels.
      return text
        .split('\n')
        .map((line) =>
          line
            .replace(MARKDOWN_INLINE, (c) => `\\${c}`)
            .replace(ADDRESS_PUNCTUATION, (c) => `\\${c}`)
            .replace(
              LINE_START,
              (_m, space: string, mark: string) => `${space}${mark.replace(/[-+=.)]/, (c) => `\\${c}`)}`,
            ),
        )
        .join(options.multiline ? '  \n' : ' ');
    case 'html':
      return text.replace(HTML_SPECIAL, (c) => HTML_ENTITIES[c]).replace(/\n/g, '<br>');
    case 'email':
      return text
        .replace(HTML_SPECIAL, (c) => HTML_ENTITIES[c])
        .replace(EMAIL_UNLINK, (c) => `<span>${c}</span>`)
        .replace(/\n/g, '<br>');
    case 'text':
      return text;
  }
}

/** A typed value placed in a chat message or card text. */
export function md(value: unknown, options?: PlaceOptions): string {
  return escapeFor('markdown', value, options);
}
