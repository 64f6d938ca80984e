/** findPython on PATHs of real fake executables (shell scripts and empty files) in temporary directories. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { findPython } from '../../src/config/env-py.js';

let base: string;
beforeEach(() => {
  base = mkdtempSync(path.join(tmpdir(), 'jetbase-path-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** `<base>/<dir>/<name>`, executable unless told otherwise; returns its path. */
function fake(dir: string, name: string, executable = true): string {
  mkdirSync(path.join(base, dir), { recursive: true });
  const file = path.join(base, dir, name);
  writeFileSync(file, '#!/bin/sh\nexit 0\n');
  chmodSync(file, executable ? 0o755 : 0o644);
  return file;
}

const pathOf = (...dirs: string[]): string => dirs.map((dir) => path.join(base, dir)).join(':');

describe('on Linux and macOS', () => {
  test('python3 first, even when a python comes earlier on PATH', () => {
    fake('a', 'python');
    fake('a', 'py');
    const python3 = fake('b', 'python3');
    expect(findPython({ PATH: pathOf('a', 'b') }, 'linux')).toEqual({ executable: python3, args: [] });
  });

  test('then python, then py -3', () => {
    const python = fake('b', 'python');
    fake('a', 'py');
    expect(findPython({ PATH: pathOf('a', 'b') }, 'linux')).toEqual({ executable: python, args: [] });
    rmSync(python);
    expect(findPython({ PATH: pathOf('a', 'b') }, 'darwin')).toEqual({
      executable: path.join(base, 'a', 'py'),
      args: ['-3'],
    });
  });

  test('the first directory on PATH wins for the same name', () => {
    const first = fake('a', 'python3');
    fake('b', 'python3');
    expect(findPython({ PATH: pathOf('a', 'b') }, 'linux')?.executable).toBe(first);
  });

  test('a file without the execute bit, a directory of that name and a relative PATH entry are skipped', () => {
    fake('a', 'python3', false);
    mkdirSync(path.join(base, 'b', 'python3'), { recursive: true });
    const planted = fake('checkout', 'python3');
    const python = fake('c', 'python');
    const relative = path.relative(process.cwd(), path.dirname(planted));
    const env = {
      PATH: ['', relative, path.join(base, 'a'), path.join(base, 'b'), path.join(base, 'c')].join(':'),
    };
    expect(findPython(env, 'linux')).toEqual({ executable: python, args: [] });
  });

  test('none at all', () => {
    fake('a', 'python2');
    expect(findPython({ PATH: pathOf('a') }, 'linux')).toBeNull();
    expect(findPython({}, 'linux')).toBeNull();
  });
});

describe('on Windows', () => {
  const winPath = (...dirs: string[]): string => dirs.map((dir) => path.join(base, dir)).join(';');

  test('py.exe as py -3, found through Path spelled in any case and PATHEXT', () => {
    const py = fake('a', 'py.exe', false);
    expect(findPython({ Path: winPath('a'), PATHEXT: '.COM;.EXE;.BAT;.CMD' }, 'win32')).toEqual({
      executable: py,
      args: ['-3'],
    });
  });

  test('python.exe before py.exe; a .bat or .cmd shim is not startable without a shell', () => {
    fake('a', 'python3.bat');
    fake('a', 'python3.cmd');
    fake('a', 'py.exe');
    const python = fake('b', 'python.exe');
    expect(findPython({ PATH: winPath('a', 'b'), PATHEXT: '.COM;.EXE;.BAT;.CMD' }, 'win32')).toEqual({
      executable: python,
      args: [],
    });
  });

  test('without PATHEXT, .exe is assumed', () => {
    const python3 = fake('a', 'python3.exe');
    expect(findPython({ PATH: winPath('a') }, 'win32')?.executable).toBe(python3);
  });
});
