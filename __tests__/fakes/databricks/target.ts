/** The conformance target for Databricks: a fresh schema on the loopback fake for each test. */
import { randomBytes } from 'node:crypto';

import type { TestTarget } from '../../helpers/databases.js';
import type { FakeDatabricks } from './server.js';

export const DATABRICKS_CREATE_USERS =
  'CREATE TABLE users (id BIGINT GENERATED ALWAYS AS IDENTITY, name STRING NOT NULL);';

export function databricksTarget(fake: FakeDatabricks): TestTarget {
  return {
    name: 'databricks (loopback fake)',
    createUsers: DATABRICKS_CREATE_USERS,
    transactionalDdl: false,
    supportsTransactions: false,
    async fresh() {
      const schema = `jb_${process.pid}_${randomBytes(4).toString('hex')}`;
      fake.createSchema(schema);
      return fake.url(schema);
    },
  };
}
