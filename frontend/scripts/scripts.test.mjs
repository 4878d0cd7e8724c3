// @vitest-environment node
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (args, env = {}) =>
  spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });

describe('client:check', () => {
  it('passes when src/api/schema.d.ts matches clients/openapi.json', () => {
    const result = run(['scripts/client.mjs', '--check']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails with a clear message when the OpenAPI document has changed', () => {
    const spec = JSON.parse(readFileSync(resolve(root, '../clients/openapi.json'), 'utf8'));
    spec.components.schemas.Me.properties.nickname = { type: 'string', title: 'Nickname' };
    const dir = mkdtempSync(join(tmpdir(), 'spec-'));
    const changed = join(dir, 'openapi.json');
    writeFileSync(changed, JSON.stringify(spec));

    const result = run(['scripts/client.mjs', '--check'], { OPENAPI_SPEC: changed });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/src\/api\/schema\.d\.ts is out of date/);
    expect(result.stderr).toMatch(/npm run client/);
  });
});

describe('bundle size', () => {
  function fakeDist() {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    mkdirSync(join(dist, '.vite'));
    mkdirSync(join(dist, 'assets'));
    const write = (name, bytes) => writeFileSync(join(dist, 'assets', name), bytes);
    // Random bytes do not compress, so gzip sizes are about the raw sizes.
    const noise = (kb) => Buffer.from(Array.from({ length: kb * 1024 }, () => Math.floor(Math.random() * 256)));
    write('entry.js', noise(40));
    write('shared.js', noise(20));
    write('lazy.js', noise(100));
    writeFileSync(
      join(dist, '.vite', 'manifest.json'),
      JSON.stringify({
        'index.html': { file: 'assets/entry.js', isEntry: true, imports: ['_shared.js'], dynamicImports: ['src/lazy.ts'] },
        '_shared.js': { file: 'assets/shared.js' },
        'src/lazy.ts': { file: 'assets/lazy.js', isDynamicEntry: true, imports: ['_shared.js'] },
      }),
    );
    const gz = (name) => gzipSync(readFileSync(join(dist, 'assets', name)), { level: 9 }).length / 1024;
    return { dist, expected: gz('entry.js') + gz('shared.js') };
  }

  it('sums the entry and its static imports, not dynamic imports', () => {
    const { dist, expected } = fakeDist();
    const result = run(['scripts/bundle-size.mjs', '--dist', dist]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('assets/entry.js');
    expect(result.stdout).toContain('assets/shared.js');
    expect(result.stdout).not.toMatch(/assets\/lazy\.js/);
    expect(result.stdout).toMatch(new RegExp(`total\\s+${expected.toFixed(2)}`));
  });

  it('fails above --max-kb', () => {
    const { dist } = fakeDist();
    const result = run(['scripts/bundle-size.mjs', '--dist', dist, '--max-kb', '30']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/over the 30 kB limit/);
  });
});
