import { startFakeDatabricks } from '../fakes/databricks/server.js';
import { databricksTarget } from '../fakes/databricks/target.js';
import { describeConformance } from './conformance.js';

const fake = await startFakeDatabricks();
afterAll(() => fake.close());

describeConformance(databricksTarget(fake));

test('the client used only the TCLIService methods the fake implements', () => {
  expect(fake.unimplemented).toEqual([]);
  expect(fake.httpRequests.every((r) => r.authorization === 'ok')).toBe(true);
  // Databricks has no transactions: the adapter never sends BEGIN/COMMIT/ROLLBACK.
  const statements = fake.calls.flatMap((c) =>
    c.statement === undefined ? [] : [c.statement.trim().toUpperCase()],
  );
  expect(statements.length).toBeGreaterThan(0);
  expect(statements.filter((s) => /^(BEGIN|START|COMMIT|ROLLBACK)\b/.test(s))).toEqual([]);
});
