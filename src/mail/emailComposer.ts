import { escapeFor } from '../escape';
import type { Catalogue, Params, Wording, WordKey } from '../i18n/catalogue';
import type { Language } from '../i18n/language';

/** What one e-mail says, before it is put into words. */
export interface EmailParts {
  /** The wording's id without its last part: email.submit.partner (…subject and …body). */
  key: string;
  /** The reader's name for the greeting; staff and sign-in e-mails greet without one. */
  name?: string | null;
  /** Why the reader gets it (the footer): a partner's contact e-mail, staff, or a sign-in. */
  footer: 'partner' | 'staff' | 'signin';
  address: string;
  /** Whether to end with the link back to the chat (when CHAT_URL is set). */
  chatLink?: boolean;
  /**
   * The wording's values. Strings are what someone typed or what the data holds: escaped for
   * each part (plain text, HTML) where they are placed. `html` says which part is being
   * built, for our own markup (a link) that differs between the two.
   */
  values: (w: Wording, html: boolean) => Params;
}

export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Brand colour of the dev chat page and the cards' accents. */
const ACCENT = '#ff6a00';

/**
 * An e-mail in its reader's language from the one catalogue (src/i18n): the subject, a
 * plain-text body and an HTML body with the same words. Values are escaped by the catalogue
 * for each part (src/escape.ts: 'text' for the subject and the plain body, 'email' for the
 * HTML, which also keeps a typed "evil.example" from becoming a link); paragraphs are the
 * wording's blank lines. The company is named in the subject; a link back to the chat ends
 * the body where one is configured (CHAT_URL).
 */
export class EmailComposer {
  constructor(
    private readonly catalogue: Catalogue,
    private readonly chatUrl?: string,
  ) {}

  compose(language: Language, parts: EmailParts): ComposedEmail {
    const text = this.catalogue.in(language, 'text');
    const html = this.catalogue.in(language, 'email');
    const say = (w: Wording, id: string, isHtml: boolean) =>
      w.t(id as WordKey, { address: parts.address, name: parts.name, ...parts.values(w, isHtml) });
    const greeting = (w: Wording) =>
      parts.name ? w.t('email.greeting', { name: parts.name }) : w.t('email.greetingStaff');
    const footer = (w: Wording, isHtml: boolean) => say(w, `email.footer.${parts.footer}`, isHtml);
    const link = parts.chatLink !== false && this.chatUrl ? this.chatUrl : undefined;

    const subject = say(text, `${parts.key}.subject`, false);
    const plain = [
      greeting(text),
      ...paragraphs(say(text, `${parts.key}.body`, false)),
      ...(link ? [text.t('email.openChatText', { url: link })] : []),
      `-- \n${footer(text, false)}\n${text.t('email.signature')}`,
    ].join('\n\n');

    const href = link ? escapeFor('html', link) : '';
    const body = paragraphs(say(html, `${parts.key}.body`, true))
      .map((p) => `<p style="margin:0 0 16px">${p}</p>`)
      .join('\n');
    const markup = `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeFor('html', subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f4f4">
<div style="max-width:600px;margin:0 auto;padding:24px 28px;background:#ffffff;font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.55;color:#1f1f1f">
<div style="border-top:4px solid ${ACCENT};padding-top:10px;font-size:13px;color:#666666">${html.t('email.signature')}</div>
<h1 style="font-size:19px;font-weight:600;margin:16px 0 18px">${say(html, `${parts.key}.subject`, true)}</h1>
<p style="margin:0 0 16px">${greeting(html)}</p>
${body}
${link ? `<p style="margin:24px 0"><a href="${href}" style="display:inline-block;background:${ACCENT};color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:4px">${html.t('email.openChat')}</a></p>` : ''}
<p style="margin:28px 0 0;padding-top:12px;border-top:1px solid #e5e5e5;font-size:12px;color:#777777">${footer(html, true)}</p>
</div>
</body>
</html>`;
    return { subject, text: plain, html: markup };
  }
}

/** The wording's paragraphs: its blank lines. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean);
}
