/** The bundle's entry for both steps: action.yml runs it as `main` and again as `post` (actions/checkout's isPost pattern). */
import * as core from '@actions/core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { State } from './constants.js';
import { run } from './main.js';
import { post } from './post.js';

// The bundle is an ES module, where CommonJS's __dirname does not exist; snowflake-sdk (bundled
// as CommonJS, loaded lazily) reads it when it loads and fails with "__dirname is not defined".
(globalThis as { __dirname?: string }).__dirname ??= path.dirname(fileURLToPath(import.meta.url));

const isPost = core.getState(State.IsPost) === 'true';
if (!isPost) core.saveState(State.IsPost, 'true');

await (isPost ? post() : run());
// Exit explicitly: an idle keep-alive socket or limiter timer must not hold a finished step open.
process.exit(process.exitCode ?? 0);
