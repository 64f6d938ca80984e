import path from 'node:path';

import { workspaceRelativePath } from '../../src/action/workspace.js';

describe('the jetbase directory as annotations and links see it', () => {
  test('Windows paths become repository paths with /', () => {
    expect(
      workspaceRelativePath('D:\\a\\shop\\shop', 'D:\\a\\shop\\shop\\services\\billing\\jetbase', path.win32),
    ).toBe('services/billing/jetbase');
  });

  test('the workspace itself is "."', () => {
    expect(workspaceRelativePath('D:\\a\\shop\\shop', 'D:\\a\\shop\\shop', path.win32)).toBe('.');
    expect(workspaceRelativePath('/home/runner/work/shop', '/home/runner/work/shop', path.posix)).toBe('.');
  });

  test('POSIX paths stay as they are', () => {
    expect(
      workspaceRelativePath('/home/runner/work/shop', '/home/runner/work/shop/db/jetbase', path.posix),
    ).toBe('db/jetbase');
  });
});
