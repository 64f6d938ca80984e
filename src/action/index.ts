/** The bundle's entry for both steps: action.yml runs it as `main` and again as `post` (actions/checkout's isPost pattern). */
import * as core from '@actions/core';

import { State } from './constants.js';
import { run } from './main.js';
import { post } from './post.js';

const isPost = core.getState(State.IsPost) === 'true';
if (!isPost) core.saveState(State.IsPost, 'true');

await (isPost ? post() : run());
// Exit explicitly: an idle keep-alive socket or limiter timer must not hold a finished step open.
process.exit(process.exitCode ?? 0);
