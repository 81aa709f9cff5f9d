import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { baseHandlers, makeAppInfo, makeSettings } from './support/fixtures.ts';
import { createMemoryTransport, type Handlers } from './support/memory-transport.ts';
import { autoCleanup, renderApp } from './support/render-app.tsx';

autoCleanup();

/** The desktop app's handlers: host 'electron', with a folder picker that answers `choose`. */
function desktopHandlers(choose: Handlers['app:choose-folder']): Handlers {
  return baseHandlers({ 'app:info': () => makeAppInfo({ host: 'electron' }), 'app:choose-folder': choose });
}

describe('Settings view', () => {
  it('saves what was changed through settings:set, with the bandwidth in bytes per second', async () => {
    const transport = createMemoryTransport(baseHandlers());
    await renderApp(transport, 'settings');
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    fireEvent.change(screen.getByRole('textbox', { name: 'Download folder' }), {
      target: { value: '/scratch' },
    });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Files at once' }), { target: { value: '6' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Bandwidth limit' }), {
      target: { value: '2.5' },
    });
    fireEvent.change(screen.getByRole('combobox', { name: 'Bandwidth unit' }), { target: { value: 'MiB' } });
    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Keep running in the tray when the window closes' }),
    );
    fireEvent.click(screen.getByRole('radio', { name: 'Dark' }));
    await act(async () => fireEvent.click(save));

    const { minSegmentSize: _notEdited, ...rest } = makeSettings();
    expect(transport.inputsOf('settings:set')).toEqual([
      {
        ...rest,
        downloadDir: '/scratch',
        concurrency: 6,
        bandwidthLimit: 2.5 * 1024 * 1024,
        closeToTray: false,
        theme: 'dark',
      },
    ]);
    // The theme follows the saved settings.
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('does not save a value outside its range, and says what is allowed', async () => {
    const transport = createMemoryTransport(baseHandlers());
    await renderApp(transport, 'settings');
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Segments per file' }), {
      target: { value: '40' },
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(transport.inputsOf('settings:set')).toEqual([]);
    expect(screen.getByText('A whole number from 1 to 16.')).toBeTruthy();
  });

  it('offers the system folder picker in the desktop app only, and takes the folder chosen', async () => {
    const desktop = createMemoryTransport(desktopHandlers(() => ({ path: '/mnt/lab/4dn' })));
    await renderApp(desktop, 'settings');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Choose…' })));
    expect(desktop.inputsOf('app:choose-folder')).toEqual([{ current: makeSettings().downloadDir }]);
    expect((screen.getByRole('textbox', { name: 'Download folder' }) as HTMLInputElement).value).toBe(
      '/mnt/lab/4dn',
    );
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(desktop.inputsOf('settings:set')[0]).toMatchObject({ downloadDir: '/mnt/lab/4dn' });
  });

  it('keeps the folder when the picker is cancelled, and has no picker in the browser', async () => {
    const desktop = createMemoryTransport(desktopHandlers(() => ({ path: null })));
    const { unmount } = await renderApp(desktop, 'settings');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Choose…' })));
    expect((screen.getByRole('textbox', { name: 'Download folder' }) as HTMLInputElement).value).toBe(
      makeSettings().downloadDir,
    );
    unmount();
    await renderApp(createMemoryTransport(baseHandlers()), 'settings');
    expect(screen.getByRole('textbox', { name: 'Download folder' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Choose…' })).toBeNull();
  });
});

describe('Settings view: the download folder', () => {
  const folderCheck: Handlers['folder:check'] = ({ dir }) => {
    if (dir === 'relative/path')
      return {
        ok: false as const,
        dir,
        problem: 'not-absolute',
        message: 'relative/path is not a full path.',
      };
    if (dir === '/proc/nope')
      return { ok: false as const, dir, problem: 'cannot-create', message: 'Cannot create /proc/nope.' };
    return {
      ok: true as const,
      dir: dir ?? '/data',
      exists: true,
      warning: dir === '/etc' ? '/etc is inside /etc, a system folder.' : null,
    };
  };

  async function typeFolderAndSave(transport: ReturnType<typeof createMemoryTransport>, dir: string) {
    fireEvent.change(screen.getByRole('textbox', { name: 'Download folder' }), { target: { value: dir } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: /^Save/ })));
    return transport.inputsOf('settings:set');
  }

  it('refuses a folder that cannot be made or is not a full path, saying why and that it did not save', async () => {
    const transport = createMemoryTransport(baseHandlers({ 'folder:check': folderCheck }));
    await renderApp(transport, 'settings');
    expect(await typeFolderAndSave(transport, '/proc/nope')).toEqual([]);
    expect(screen.getByTestId('settings-folder-error').textContent).toBe('Cannot create /proc/nope.');
    expect(screen.getByText(/Not saved: one field needs fixing/)).toBeTruthy();
    expect(await typeFolderAndSave(transport, 'relative/path')).toEqual([]);
    expect(screen.getByTestId('settings-folder-error').textContent).toContain('not a full path');
  });

  it('drops its "marked in red" notice when the user leaves Settings, where nothing is marked', async () => {
    const transport = createMemoryTransport(baseHandlers({ 'folder:check': folderCheck }));
    await renderApp(transport, 'settings');
    expect(await typeFolderAndSave(transport, '/proc/nope')).toEqual([]);
    expect(screen.getByTestId('notice').textContent).toMatch(/marked in red/);
    const views = screen.getByRole('navigation', { name: 'Views' });
    await act(async () => fireEvent.click(within(views).getByRole('button', { name: 'Browse' })));
    expect(screen.queryByText(/marked in red/)).toBeNull();
  });

  it('warns about a system folder and saves it only when asked again', async () => {
    const transport = createMemoryTransport(baseHandlers({ 'folder:check': folderCheck }));
    await renderApp(transport, 'settings');
    expect(await typeFolderAndSave(transport, '/etc')).toEqual([]);
    expect(screen.getByTestId('settings-folder-warning').textContent).toContain('system folder');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save anyway' })));
    expect(transport.inputsOf('settings:set')).toMatchObject([{ downloadDir: '/etc' }]);
  });
});

describe('Settings view: unsaved edits', () => {
  it('keeps unsaved edits when switching to another view and back', async () => {
    const transport = createMemoryTransport(baseHandlers());
    await renderApp(transport, 'settings');
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Files at once' }), { target: { value: '7' } });
    fireEvent.click(screen.getByRole('button', { name: 'Queue' }));
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect((screen.getByRole('spinbutton', { name: 'Files at once' }) as HTMLInputElement).value).toBe('7');
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(false);
    expect(transport.inputsOf('settings:set')).toEqual([]);
  });
});

describe('Settings view: desktop-only settings', () => {
  it('marks tray, notifications and sleep as the desktop app’s in the browser UI, not in the desktop app', async () => {
    const web = createMemoryTransport(baseHandlers());
    await renderApp(web, 'settings');
    expect(screen.getByTestId('desktop-only-note').textContent).toContain('desktop app only');
    expect(
      screen.getByRole('checkbox', { name: /Keep running in the tray/ }).closest('label')?.textContent,
    ).toContain('desktop app');
  });
});
