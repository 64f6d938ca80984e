/** action.yml and src/action/constants.ts name the same inputs, outputs and defaults (actions/cache's check). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

import { InputDefaults, Inputs, Outputs } from '../../src/action/constants.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: Record<string, string>;
}

const actionYml = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

test('every input in action.yml is in Inputs, and the other way round', () => {
  expect(Object.keys(actionYml.inputs).sort()).toEqual(Object.values(Inputs).sort());
});

test('input defaults agree', () => {
  for (const [name, input] of Object.entries(actionYml.inputs)) {
    expect([name, String(input.default ?? '')]).toEqual([
      name,
      InputDefaults[name as keyof typeof InputDefaults],
    ]);
  }
});

test('every output in action.yml is in Outputs, and the other way round', () => {
  expect(Object.keys(actionYml.outputs).sort()).toEqual(Object.values(Outputs).sort());
});

test('main and post run the same bundle on node24, post always', () => {
  expect(actionYml.runs).toEqual({
    using: 'node24',
    main: 'dist/index.js',
    post: 'dist/index.js',
    'post-if': 'always()',
  });
});

test('every input and output is described', () => {
  for (const entry of [...Object.values(actionYml.inputs), ...Object.values(actionYml.outputs)]) {
    expect(entry.description.length).toBeGreaterThan(10);
  }
});
