import { MYSQL_URL, mysqlTarget } from '../helpers/databases.js';
import { describeVerifyConformance } from './conformance.js';

if (MYSQL_URL) describeVerifyConformance(mysqlTarget(MYSQL_URL));
else test.skip('verify on MariaDB/MySQL: JETBASE_TEST_MYSQL_URL is not set', () => undefined);
