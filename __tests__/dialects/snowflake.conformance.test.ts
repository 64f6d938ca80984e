/**
 * The shared conformance suite on Snowflake, through the real snowflake-sdk talking to the
 * loopback fake (__tests__/fakes/snowflake): once with password authentication and once per
 * key-pair flavour (plain PKCS#8, encrypted PKCS#8, PKCS#1).
 */
import { describeConformance } from './conformance.js';
import { makeTestKeys, newFakeSnowflake, snowflakeTarget } from '../fakes/snowflake/target.js';

const keys = makeTestKeys();
const fake = newFakeSnowflake(keys);

beforeAll(() => fake.start());
afterAll(async () => {
  // Every request went to an endpoint the fake implements, and every session was closed.
  expect(fake.unexpectedRequests).toEqual([]);
  expect(fake.openSessions).toBe(0);
  await fake.close();
});

describeConformance(snowflakeTarget(fake, keys, 'password'));
describeConformance(snowflakeTarget(fake, keys, 'pkcs8'));
describeConformance(snowflakeTarget(fake, keys, 'pkcs8-encrypted'));
describeConformance(snowflakeTarget(fake, keys, 'pkcs1'));
