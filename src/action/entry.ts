/**
 * Both steps of the action: action.yml runs the bundle as `main` and again as `post` (the isPost
 * pattern of actions/checkout). Loaded by index.ts once source maps are on.
 */
import * as core from '@actions/core';

import { State } from './constants.js';
import { run } from './main.js';
import { post } from './post.js';

export async function start(): Promise<void> {
  const isPost = core.getState(State.IsPost) === 'true';
  if (!isPost) core.saveState(State.IsPost, 'true');
  await (isPost ? post() : run());
}
