// Runs under Node ≥ 22.5 only (scripts/test.sh uses the node@24 package): the built-in node:sqlite
// driver that the bundled action uses on GitHub's node24 runtime must pass the same suite.
import { sqliteTarget } from '../helpers/databases.js';
import { describeConformance } from './conformance.js';

describeConformance(sqliteTarget('node:sqlite'));
