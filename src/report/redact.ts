/**
 * Secret masking for every output path (docs/format.md, "Database URLs"). A secret is masked in the forms it tends
 * to reappear in: as written, URL-encoded (in a connection URL), form-encoded, base64 (in auth
 * headers and driver dumps), JSON-escaped (in JSON log lines) and, for PEM keys, line by line.
 */

const MASK = '***';

/** Derived forms only for secrets at least this long: masking every "ab" base64 form helps no one. */
const MIN_DERIVED_LENGTH = 3;

/** Lines of a multi-line secret masked on their own when they are at least this long. */
const MIN_LINE_LENGTH = 8;

export class Redactor {
  /** Every form to mask, kept sorted longest first so a longer form is never cut by a shorter one. */
  private forms: string[] = [];
  private readonly registered: string[] = [];

  add(secret: string | null | undefined): void {
    if (secret === null || secret === undefined || secret === '') return;
    if (this.registered.includes(secret)) return;
    this.registered.push(secret);
    const forms = new Set(this.forms);
    for (const form of derivedForms(secret)) forms.add(form);
    this.forms = [...forms].sort((a, b) => b.length - a.length);
  }

  /** `text` with every registered secret form, and any `scheme://user:password@` password, masked. */
  redact(text: string): string {
    let result = text;
    for (const form of this.forms) {
      if (result.includes(form)) result = result.split(form).join(MASK);
    }
    return redactUrlsIn(result);
  }

  /** The secrets as added (not their derived forms). */
  get secrets(): readonly string[] {
    return this.registered;
  }
}

/**
 * Every form `redact()` masks for one secret (as written, encoded, per PEM line): for shells that
 * must register each form with another masker too, e.g. the Actions runner's `add-mask`.
 */
export function secretForms(secret: string): string[] {
  return secret === '' ? [] : derivedForms(secret);
}

function derivedForms(secret: string): string[] {
  const forms = [secret];
  if (secret.length < MIN_DERIVED_LENGTH) return forms;
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  forms.push(
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  );
  if (/[\r\n]/.test(secret)) {
    for (const line of secret.split(/\r?\n|\r/)) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_LINE_LENGTH && !/^-----(BEGIN|END)[^-]*-----$/.test(trimmed))
        forms.push(trimmed);
    }
  }
  return forms.filter((form) => form.length > 0);
}

/**
 * Masks the password of every `scheme://user:password@` in `text`, known secret or not. The
 * password runs to the last '@' of the URL, so a raw '@' in it is masked too (over-masking a
 * query value that holds '@' is the safe mistake).
 */
export function redactUrlsIn(text: string): string {
  return text.replace(
    /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s:/?#@'"<>`]*):([^\s'"<>`]*)@/g,
    (match, scheme: string, user: string, password: string) =>
      password === MASK ? match : `${scheme}${user}:${MASK}@`,
  );
}

/** The process-wide redactor every output path uses. */
export const redactor = new Redactor();
