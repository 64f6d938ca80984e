import { formatDescription, parseMigrationName, rawDescription } from '../../src/engine/names.js';
import { canonicalVersion, compareVersions, isValidVersion, versionKey } from '../../src/engine/version.js';

describe('migration file names', () => {
  test.each([
    'V1__initial_setup.sql',
    'V1_2__add_feature.sql',
    'V1.2.3__fix_bug.sql',
    'V1__a__b.sql',
    'RA__x.sql',
    'ROC__y.sql',
  ])('%s is valid', (name) => {
    expect(parseMigrationName(name).ok).toBe(true);
  });
  test.each([
    '1__missing_v_prefix.sql',
    'V1-add_feature.sql',
    'V1__x.txt',
    'V__x.sql',
    'V1..2__x.sql',
    'V1._2__x.sql',
    'V1.__x.sql',
    'V1__x.SQL',
    'V1_.2__ .sql',
    'V.sql',
    'V1_2_3__.sql',
    'V1_2_3__   .sql',
    'v1__x.sql',
    'R__x.sql',
    'RA__ .sql',
  ])('%s is invalid', (name) => {
    const parsed = parseMigrationName(name);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(`Invalid migration filename format: ${name}.`);
  });
  test('a name longer than 512 characters is invalid', () => {
    const long = `V${'1_'.repeat(300)}__description.sql`;
    const parsed = parseMigrationName(long);
    expect(parsed).toMatchObject({ ok: false, reason: 'too-long' });
    expect(parseMigrationName('V1__short.sql').ok).toBe(true);
  });
  test('versions are digit groups separated by . or _', () => {
    for (const v of ['1', '1.0', '1.0.0', '10.2.3', '0.1', '0.0.1', '1_2_3'])
      expect(isValidVersion(v)).toBe(true);
    for (const v of ['1..2', '1.2.', '.1.2', '1.2.a', 'a.b.c', '', '١'])
      expect(isValidVersion(v)).toBe(false);
  });
  test('raw version and description are cut from the name; underscores become spaces', () => {
    expect(parseMigrationName('V2_1.5__add_feature.sql')).toMatchObject({
      version: '2.1.5',
      description: 'add feature',
    });
    expect(parseMigrationName('V01_5__c.sql')).toMatchObject({ version: '01.5' });
    expect(rawDescription('V0_1__    .sql')).toBe('');
    expect(formatDescription('create_users_table')).toBe('create users table');
    expect(parseMigrationName('V1__a__b.sql')).toMatchObject({ version: '1', description: 'a  b' });
  });
});

describe('version keys and PEP 440 order', () => {
  test('the version key replaces _ with .', () => expect(versionKey('2_1.5')).toBe('2.1.5'));
  test('numeric PEP 440 order', () => {
    const sorted = ['11', '2.0.0', '1.2.0', '1.0.0', '2', '2.0.1', '20251225.120000'].sort(compareVersions);
    expect(sorted).toEqual(['1.0.0', '1.2.0', '2.0.0', '2', '2.0.1', '11', '20251225.120000']);
  });
  test('equality ignores leading and trailing zeros', () => {
    expect(compareVersions('1', '1.0.0')).toBe(0);
    expect(compareVersions('01.5', '1.5')).toBe(0);
    expect(canonicalVersion('01.50.0')).toBe('1.50');
    expect(compareVersions('99999999999999999999.1', '99999999999999999999.2')).toBe(-1);
  });
});
