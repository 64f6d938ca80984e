import { PG_URL, postgresTarget } from '../helpers/databases.js';
import { describeVerifyConformance } from './conformance.js';

if (PG_URL) describeVerifyConformance(postgresTarget(PG_URL));
else test.skip('verify on PostgreSQL: JETBASE_TEST_PG_URL is not set', () => undefined);
