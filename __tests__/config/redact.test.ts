import { Redactor, redactUrlsIn, redactor } from '../../src/report/redact.js';

describe('Redactor', () => {
  test('masks the exact value and its URL-, form-, base64- and JSON-encoded forms', () => {
    const secret = 'p@ss word/+é"x';
    const r = new Redactor();
    r.add(secret);
    const base64 = Buffer.from(secret, 'utf8').toString('base64');
    const base64url = Buffer.from(secret, 'utf8').toString('base64url');
    const forms = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      base64,
      base64url,
      JSON.stringify(secret).slice(1, -1),
    ];
    for (const form of forms) {
      expect(r.redact(`before ${form} after`)).toBe('before *** after');
    }
    expect(r.secrets).toEqual([secret]);
  });

  test('masks each long line of a PEM key on its own, but not the BEGIN/END lines', () => {
    const pem = [
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvgIBADANBgkqhkiG9w0BAQEFAASC',
      'AoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R',
      'abc',
      '-----END PRIVATE KEY-----',
    ].join('\n');
    const r = new Redactor();
    r.add(pem);
    expect(r.redact('driver said: MIIEvgIBADANBgkqhkiG9w0BAQEFAASC is bad')).toBe('driver said: *** is bad');
    expect(r.redact('line AoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R')).toBe('line ***');
    expect(r.redact('-----BEGIN PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----');
    expect(r.redact('abc')).toBe('abc');
    expect(r.redact(`whole: ${pem}`)).toBe('whole: ***');
    // JSON log lines carry the newlines escaped.
    expect(r.redact(JSON.stringify({ key: pem }))).toBe('{"key":"***"}');
  });

  test('secrets shorter than 3 characters are masked only as written', () => {
    const r = new Redactor();
    r.add('ab');
    expect(r.redact('ab YWI= YWI')).toBe('*** YWI= YWI');
  });

  test('ignores empty and missing secrets; masks the longest form first', () => {
    const r = new Redactor();
    r.add('');
    r.add(null);
    r.add(undefined);
    expect(r.secrets).toEqual([]);
    r.add('secret');
    r.add('secret-and-more');
    r.add('secret');
    expect(r.secrets).toEqual(['secret', 'secret-and-more']);
    expect(r.redact('x secret-and-more y secret')).toBe('x *** y ***');
  });

  test('redact also masks any URL password, known or not', () => {
    const r = new Redactor();
    expect(r.redact('connect postgresql://u:unknown@h/db failed')).toBe(
      'connect postgresql://u:***@h/db failed',
    );
  });

  test('the process-wide redactor is a Redactor', () => {
    expect(redactor).toBeInstanceOf(Redactor);
  });
});

describe('redactUrlsIn', () => {
  test.each([
    ['postgresql://user:pw@host:5432/db', 'postgresql://user:***@host:5432/db'],
    ['error at "mysql+pymysql://root:s3cr%40t@db/app"!', 'error at "mysql+pymysql://root:***@db/app"!'],
    ['databricks://token:dapi123@host?http_path=/x', 'databricks://token:***@host?http_path=/x'],
    ['raw @: postgresql://u:p@ss@host/db and more', 'raw @: postgresql://u:***@host/db and more'],
    ['two: a://u:x@h b://v:y@k', 'two: a://u:***@h b://v:***@k'],
    ['no password: snowflake://user@acct/db', 'no password: snowflake://user@acct/db'],
    ['empty user: redis://:pw@h', 'empty user: redis://:***@h'],
    ['https://example.com/a:b@c', 'https://example.com/a:b@c'],
    ['already postgresql://u:***@h', 'already postgresql://u:***@h'],
  ])('%s', (input, expected) => {
    expect(redactUrlsIn(input)).toBe(expected);
  });
});
