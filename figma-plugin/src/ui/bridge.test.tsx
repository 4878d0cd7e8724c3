import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { API, TOKEN } from './testing/fixtures';
import { NOTHING_SELECTED, renderPlugin, sendFromMain } from './testing/plugin';

describe('Messages from the main thread', () => {
  it('ignores (and logs) messages that fail the guard', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    renderPlugin({ skipInit: true });

    sendFromMain({ type: 'init', apiUrl: API, token: TOKEN }); // no selection
    sendFromMain({ type: 'selection', selection: { count: 1, fillable: 1, width: '1600', height: 900 } });
    sendFromMain({ type: 'launch-missiles' });
    sendFromMain(null);

    expect(screen.getByRole('status')).toHaveTextContent('Loading');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('ignored a message'), expect.anything());

    // A well-formed one still works afterwards.
    sendFromMain({ type: 'init', apiUrl: API, token: TOKEN, selection: NOTHING_SELECTED });
    expect(await screen.findByRole('form', { name: 'Generate images' })).toBeInTheDocument();
  });

  it('ignores a malformed selection: the aspect ratio stays where it was', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    renderPlugin({ selection: { count: 1, fillable: 1, width: 1600, height: 900 } });
    expect(await screen.findByRole('radio', { name: '16:9' })).toBeChecked();

    sendFromMain({ type: 'selection', selection: { count: 1, fillable: 2, width: 900, height: 1600 } });

    expect(screen.getByRole('radio', { name: '16:9' })).toBeChecked();
  });

  it('pays no attention to window messages that are not from Figma', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    renderPlugin({ skipInit: true });

    window.dispatchEvent(new MessageEvent('message', { data: { source: 'react-devtools', payload: {} } }));

    expect(warn).not.toHaveBeenCalled();
    expect(screen.getByRole('status')).toHaveTextContent('Loading');
  });
});
