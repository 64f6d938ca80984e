import { makeTestKeys, newFakeSnowflake, snowflakeTarget } from '../fakes/snowflake/target.js';
import { describeVerifyConformance } from './conformance.js';

const keys = makeTestKeys();
const fake = newFakeSnowflake(keys);

beforeAll(() => fake.start());
afterAll(async () => {
  expect(fake.unexpectedRequests).toEqual([]);
  expect(fake.openSessions).toBe(0);
  await fake.close();
});

describeVerifyConformance(snowflakeTarget(fake, keys, 'password'));
