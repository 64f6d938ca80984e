import { sqliteTarget } from '../helpers/databases.js';
import { describeConformance } from './conformance.js';

describeConformance(sqliteTarget('better-sqlite3'));
