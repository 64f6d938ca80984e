import { startFakeDatabricks } from '../fakes/databricks/server.js';
import { databricksTarget } from '../fakes/databricks/target.js';
import { describeVerifyConformance } from './conformance.js';

const fake = await startFakeDatabricks();
afterAll(() => fake.close());

describeVerifyConformance(databricksTarget(fake));
