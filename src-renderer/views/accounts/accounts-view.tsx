import { useState } from 'react';
import { errorMessage } from '../../api/transport.ts';
import { ConfirmDialog, type ConfirmRequest } from '../../components/confirm-dialog.tsx';
import { ViewError } from '../../components/status-bars.tsx';
import { ViewFrame } from '../../components/view-frame.tsx';
import { useActiveProfile, useProfiles, useStores } from '../../store/context.tsx';
import { ImportKeys } from './import-keys.tsx';
import { describeTest, KeyForm } from './key-form.tsx';
import { ProfileCard } from './profile-card.tsx';

export function AccountsView() {
  const stores = useStores();
  const profiles = useProfiles((s) => s.profiles);
  const keychain = useProfiles((s) => s.keychain);
  const error = useProfiles((s) => s.error);
  const active = useActiveProfile();
  const [busy, setBusy] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const notify = stores.app.getState().notify;

  const test = async (name: string) => {
    setBusy(name);
    try {
      const outcome = describeTest(await stores.profiles.getState().test({ name }));
      notify(outcome?.tone === 'ok' ? 'success' : 'error', `${name}: ${outcome?.text ?? ''}`);
    } catch (e) {
      notify('error', `Could not test ${name}: ${errorMessage(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const remove = (name: string) =>
    setConfirm({
      title: `Remove the key “${name}”?`,
      body: 'Downloads that use this profile will need another key. The key itself stays valid on the portal.',
      confirmLabel: 'Remove',
      onConfirm: () => {
        stores.profiles
          .getState()
          .remove(name)
          .then(
            ({ removed, keypairsFile }) => {
              if (removed && !keypairsFile) notify('info', `Removed ${name}.`);
              else if (removed)
                notify(
                  'info',
                  `Removed ${name} from the keychain. The entry "${name}" in ${keypairsFile} is used now: the app does not edit that file, so remove it there to forget the key.`,
                );
              else if (keypairsFile)
                notify(
                  'error',
                  `Not removed: ${name} comes from ${keypairsFile}, which the app does not edit. Remove the entry there.`,
                );
              else notify('info', `${name} was already removed.`);
            },
            (e: unknown) => notify('error', `Could not remove ${name}: ${errorMessage(e)}`),
          );
      },
    });

  return (
    <ViewFrame name="accounts" title="Accounts">
      {keychain && !keychain.available ? (
        <p className="banner warn" data-testid="keychain-notice">
          No system keychain is available here, so keys cannot be stored securely on this computer.{' '}
          {keychain.message ??
            'Keys are read from ~/keypairs.json instead; nothing is written to a plain file without asking.'}
        </p>
      ) : null}
      {keychain?.available && keychain.message ? (
        <p className="banner info" data-testid="keychain-notice">
          {keychain.message}
        </p>
      ) : null}
      <ViewError error={error} />
      <div className="cards">
        {profiles.map((profile) => (
          <ProfileCard
            key={profile.name}
            profile={profile}
            active={profile.name === active}
            busy={busy === profile.name}
            onTest={() => void test(profile.name)}
            onRemove={() => remove(profile.name)}
          />
        ))}
        {/* Only a list that loaded can say there are no keys. */}
        {profiles.length === 0 && !error ? (
          <p className="muted">
            No keys yet. Public files download without one; add a key for everything else.
          </p>
        ) : null}
      </div>
      <div className="cards">
        <KeyForm />
        <ImportKeys />
      </div>
      {confirm ? <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} /> : null}
    </ViewFrame>
  );
}
