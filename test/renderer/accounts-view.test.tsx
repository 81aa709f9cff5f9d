import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src-shared/domain/profile.ts';
import { baseHandlers, makeProfile } from './support/fixtures.ts';
import { createMemoryTransport } from './support/memory-transport.ts';
import { autoCleanup, renderApp, settle } from './support/render-app.tsx';

autoCleanup();

const GEN3_KEY = 'eyJhbGciOiJIUzI1NiJ9.eyJwdXJwb3NlIjoiYXBpX2tleSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

const SECRET = 'qwertyuiopasdfgh';

function setup(
  keychain = { available: true } as { available: boolean; message?: string },
  initial: Profile[] = [makeProfile('default')],
) {
  let profiles: Profile[] = initial;
  return createMemoryTransport(
    baseHandlers({
      'profiles:list': () => ({ profiles, keychain }),
      'profiles:add': ({ name, server, keyId }) => {
        const profile = makeProfile(name, { server, keyId });
        profiles = [...profiles, profile];
        return { profile, test: { ok: true, email: 'ada@example.org' } };
      },
      'profiles:test': (input) =>
        'name' in input
          ? { ok: false, message: 'Key rejected by data.4dnucleome.org' }
          : { ok: true, email: 'ada@example.org' },
      'profiles:remove': ({ name }) => {
        const found = profiles.find((p) => p.name === name);
        if (found?.source === 'keypairs') return { removed: false, keypairsFile: '/home/ada/keypairs.json' };
        profiles = profiles.filter((p) => p.name !== name);
        return { removed: found !== undefined };
      },
      'profiles:import': (input) => ({
        imported: Object.keys(JSON.parse('text' in input ? input.text : '{}')).map((name) =>
          makeProfile(name, { source: 'keypairs' }),
        ),
        rejected: [],
      }),
    }),
  );
}

function fill(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('Accounts view', () => {
  it('shows a card per profile with server, key id and last test', async () => {
    await renderApp(setup(), 'accounts');
    const card = screen.getByRole('article', { name: 'Profile default' });
    expect(card.textContent).toContain('https://data.4dnucleome.org');
    expect(card.textContent).toContain('ABCDEFGH');
    expect(card.textContent).toContain('Not tested yet');
  });

  it('tests and saves a key, then keeps the secret nowhere: not in a store, not in the DOM', async () => {
    const transport = setup();
    const { stores } = await renderApp(transport, 'accounts');
    fill('key-name', 'lab');
    fill('key-id', 'ZYXWVUTS');
    fill('key-secret', SECRET);
    expect((screen.getByTestId('key-secret') as HTMLInputElement).type).toBe('password');
    expect((screen.getByTestId('key-server') as HTMLInputElement).value).toBe('https://data.4dnucleome.org');

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test' })));
    expect(transport.inputsOf('profiles:test')).toEqual([
      { server: 'https://data.4dnucleome.org', keyId: 'ZYXWVUTS', secret: SECRET },
    ]);
    expect(screen.getByTestId('key-outcome').textContent).toBe('Key works: signed in as ada@example.org.');

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    await settle();
    expect(transport.inputsOf('profiles:add')).toEqual([
      { name: 'lab', server: 'https://data.4dnucleome.org', keyId: 'ZYXWVUTS', secret: SECRET, test: true },
    ]);
    expect((screen.getByTestId('key-secret') as HTMLInputElement).value).toBe('');
    expect(screen.getByRole('article', { name: 'Profile lab' })).toBeTruthy();

    const everything = JSON.stringify([
      stores.profiles.getState(),
      stores.settings.getState(),
      stores.app.getState(),
      stores.add.getState().text,
    ]);
    expect(everything).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET);
    for (const input of document.querySelectorAll('input')) expect(input.value).not.toBe(SECRET);
  });

  it('takes a Gen3 credentials.json pasted whole, and sends its key_id and api_key with the kind', async () => {
    const transport = setup();
    await renderApp(transport, 'accounts');
    await act(async () => fireEvent.change(screen.getByTestId('key-kind'), { target: { value: 'gen3' } }));
    expect(screen.queryByTestId('key-id')).toBeNull();
    fill('key-name', 'commons');
    fill('key-server', 'https://gen3.example.org');
    fill('key-gen3', JSON.stringify({ api_key: GEN3_KEY, key_id: 'kid-1' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    await settle();
    expect(transport.inputsOf('profiles:add')).toEqual([
      {
        name: 'commons',
        server: 'https://gen3.example.org',
        kind: 'gen3',
        keyId: 'kid-1',
        secret: GEN3_KEY,
        test: true,
      },
    ]);
    expect((screen.getByTestId('key-gen3') as HTMLTextAreaElement).value).toBe('');
    expect(document.body.innerHTML).not.toContain(GEN3_KEY);
    fill('key-gen3', '{"key_id": "x"}');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test' })));
    expect(screen.getByTestId('key-outcome').textContent).toMatch(/needs "api_key" and "key_id"/);
  });

  it('tests a saved profile and removes one after asking', async () => {
    const transport = setup();
    await renderApp(transport, 'accounts');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test default' })));
    expect(transport.inputsOf('profiles:test')).toEqual([{ name: 'default' }]);
    expect(screen.getByRole('article', { name: 'Profile default' }).textContent).toContain(
      'Key rejected by data.4dnucleome.org',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Remove default' }));
    await act(async () =>
      fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' })),
    );
    expect(transport.inputsOf('profiles:remove')).toEqual([{ name: 'default' }]);
    expect(screen.queryByRole('article', { name: 'Profile default' })).toBeNull();
  });

  it('imports a keypairs.json by its text', async () => {
    const transport = setup();
    await renderApp(transport, 'accounts');
    const text = JSON.stringify({ lab2: { key: 'K', secret: 's', server: 'https://data.4dnucleome.org/' } });
    const input = screen.getByLabelText('Import keypairs.json') as HTMLInputElement;
    await act(async () =>
      fireEvent.change(input, {
        target: { files: [new File([text], 'keypairs.json', { type: 'application/json' })] },
      }),
    );
    await settle();
    expect(transport.inputsOf('profiles:import')).toEqual([{ text }]);
    expect(screen.getByTestId('notice').textContent).toBe('Imported lab2.');
    expect(screen.getByRole('article', { name: 'Profile lab2' })).toBeTruthy();
  });

  it('says plainly when there is no keychain, and what happens instead', async () => {
    await renderApp(
      setup({ available: false, message: 'Keys will be read from ~/keypairs.json; nothing is stored.' }),
      'accounts',
    );
    expect(screen.getByTestId('keychain-notice').textContent).toContain(
      'No system keychain is available here, so keys cannot be stored securely on this computer. Keys will be read from ~/keypairs.json; nothing is stored.',
    );
  });

  it('passes on what the key store says about itself, such as the demo keeping keys in memory', async () => {
    await renderApp(
      setup({ available: true, message: 'Keys are kept in memory for this session only (demo).' }),
      'accounts',
    );
    expect(screen.getByTestId('keychain-notice').textContent).toBe(
      'Keys are kept in memory for this session only (demo).',
    );
  });
});

describe('Accounts: removing a profile', () => {
  it('says truthfully that a keypairs.json profile is not removed, and keeps its card', async () => {
    const transport = setup({ available: true }, [makeProfile('default', { source: 'keypairs' })]);
    await renderApp(transport, 'accounts');
    fireEvent.click(screen.getByRole('button', { name: 'Remove default' }));
    await act(async () =>
      fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' })),
    );
    await settle();
    expect(screen.getByTestId('notice').textContent).toContain(
      'Not removed: default comes from /home/ada/keypairs.json, which the app does not edit.',
    );
    expect(screen.getByRole('article', { name: 'Profile default' })).toBeTruthy();
  });

  it('removes a keychain profile: its card goes, also from a fresh list', async () => {
    const transport = setup();
    await renderApp(transport, 'accounts');
    fireEvent.click(screen.getByRole('button', { name: 'Remove default' }));
    await act(async () =>
      fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Remove' })),
    );
    await settle();
    expect(screen.getByTestId('notice').textContent).toBe('Removed default.');
    expect(screen.queryByRole('article', { name: 'Profile default' })).toBeNull();
    expect(transport.inputsOf('profiles:list').length).toBeGreaterThan(1);
  });
});

describe('Accounts: the add-key form speaks plainly', () => {
  it('refuses a server that is no web address in words, and says "not saved" once', async () => {
    const transport = setup();
    transport.handle('profiles:add', () => {
      throw new Error('Key rejected by data.4dnucleome.org. It was not saved.');
    });
    await renderApp(transport, 'accounts');
    fill('key-name', 'lab');
    fill('key-id', 'ZYXWVUTS');
    fill('key-secret', SECRET);
    fill('key-server', 'test');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(transport.inputsOf('profiles:add')).toEqual([]);
    expect(screen.getByTestId('key-outcome').textContent).toBe(
      "Not saved: “test” is not a web address: give the portal's address, such as https://data.4dnucleome.org.",
    );
    fill('key-server', 'https://data.4dnucleome.org');
    fill('key-secret', SECRET);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(screen.getByTestId('key-outcome').textContent).toBe(
      'Not saved: Key rejected by data.4dnucleome.org.',
    );
  });
});
