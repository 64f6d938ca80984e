import { PG_URL, postgresTarget } from '../helpers/databases.js';
import { describeConformance } from './conformance.js';

if (PG_URL) describeConformance(postgresTarget(PG_URL));
else
  test.skip('PostgreSQL conformance: JETBASE_TEST_PG_URL is not set (scripts/test.sh starts a server and sets it)', () =>
    undefined);
