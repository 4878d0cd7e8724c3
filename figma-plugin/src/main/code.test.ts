// @vitest-environment node
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FakeFigma } from './testing/fake-figma';

// The same bundle `npm run build:main` writes to dist/code.js, run the way Figma runs it:
// a script with `figma` and `__html__` as globals.
async function bundleMainThread(): Promise<string> {
  const result = await build({
    // No Node or DOM types in this project's main-thread config, hence the cast.
    entryPoints: [`${(import.meta as ImportMeta & { dirname: string }).dirname}/code.ts`],
    bundle: true,
    format: 'iife',
    target: 'es2017',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote no bundle');
  return output.text;
}

describe('the bundled main thread', () => {
  it('opens the panel from Figma’s globals and answers it', async () => {
    const figma = new FakeFigma();
    figma.clientStorage.values.set('apiUrl', 'https://brand-assets.example.com');

    new Function('figma', '__html__', await bundleMainThread())(figma, '<p>panel</p>');
    await figma.ui.receive({ type: 'ready' });

    expect(figma.shownUi?.html).toBe('<p>panel</p>');
    expect(figma.ui.messagesOfType('init')).toEqual([
      {
        type: 'init',
        apiUrl: 'https://brand-assets.example.com',
        token: null,
        selection: { count: 0, fillable: 0, width: null, height: null },
      },
    ]);
  });
});
