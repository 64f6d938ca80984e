import { MYSQL_URL, mysqlTarget } from '../helpers/databases.js';
import { describeConformance } from './conformance.js';

if (MYSQL_URL) describeConformance(mysqlTarget(MYSQL_URL));
else
  test.skip('MariaDB/MySQL conformance: JETBASE_TEST_MYSQL_URL is not set (scripts/test.sh starts a server and sets it)', () =>
    undefined);
