import { useId, useState } from 'react';
import { DEFAULT_SERVER, type KeyTestResult } from '../../../src-shared/domain/profile.ts';
import { errorMessage } from '../../api/transport.ts';
import { useProfiles, useStores } from '../../store/context.tsx';

type Outcome = { tone: 'ok' | 'bad' | 'muted'; text: string } | null;

export function describeTest(result: KeyTestResult): Outcome {
  if (result.ok)
    return { tone: 'ok', text: result.email ? `Key works: signed in as ${result.email}.` : 'Key works.' };
  return { tone: 'bad', text: result.message ?? 'The server did not accept this key.' };
}

/**
 * Add a key: profile name, key id, secret, server. The secret lives only in this form's field until Test or
 * Save sends it; Save clears it whatever the outcome, so it stays in no store and no DOM afterwards.
 */
export function KeyForm() {
  const stores = useStores();
  const profiles = useProfiles((s) => s.profiles);
  const id = useId();
  const [name, setName] = useState(() => (profiles.some((p) => p.name === 'default') ? '' : 'default'));
  const [keyId, setKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [server, setServer] = useState(DEFAULT_SERVER);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const ready = name.trim() !== '' && keyId.trim() !== '' && secret !== '' && server.trim() !== '';
  const key = () => ({ server: server.trim().replace(/\/+$/, ''), keyId: keyId.trim(), secret });
  /** Said in people's words here, before the core's schema answers with a field path. */
  const serverProblem = (): string | null => {
    try {
      const url = new URL(server.trim());
      if (url.protocol === 'https:' || url.protocol === 'http:') return null;
    } catch {
      /* not a URL at all */
    }
    return `“${server.trim()}” is not a web address: give the portal's address, such as ${DEFAULT_SERVER}.`;
  };

  const test = async () => {
    const problem = serverProblem();
    if (problem) {
      setOutcome({ tone: 'bad', text: problem });
      return;
    }
    setBusy(true);
    setOutcome({ tone: 'muted', text: 'Testing the key…' });
    try {
      setOutcome(describeTest(await stores.profiles.getState().test(key())));
    } catch (error) {
      setOutcome({ tone: 'bad', text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    const problem = serverProblem();
    if (problem) {
      setOutcome({ tone: 'bad', text: `Not saved: ${problem}` });
      return;
    }
    const input = { ...key(), name: name.trim() };
    setSecret('');
    setBusy(true);
    try {
      const result = await stores.profiles.getState().add(input, true);
      const tested = result.test ? describeTest(result.test) : null;
      setOutcome({
        tone: tested?.tone === 'bad' ? 'bad' : 'ok',
        text: `Saved “${result.profile.name}”.${tested ? ` ${tested.text}` : ''}`,
      });
      setKeyId('');
    } catch (error) {
      // The core's message may end by saying so itself: say it once.
      const why = errorMessage(error).replace(/\s*It was not saved\.?$/, '');
      setOutcome({ tone: 'bad', text: `Not saved: ${why}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card key-form"
      aria-labelledby={`${id}-title`}
      noValidate
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready && !busy) void save();
      }}
    >
      <h3 id={`${id}-title`}>Add key</h3>
      <p className="muted">
        Create an access key on the portal (Profile, “Add Access Key”); the secret is shown only once.
      </p>
      <label className="field">
        <span>Profile name</span>
        <input
          data-testid="key-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={100}
        />
      </label>
      <label className="field">
        <span>Key ID</span>
        <input
          data-testid="key-id"
          value={keyId}
          spellCheck={false}
          onChange={(e) => setKeyId(e.target.value)}
          maxLength={200}
        />
      </label>
      <label className="field">
        <span>Secret</span>
        <input
          data-testid="key-secret"
          type="password"
          autoComplete="new-password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          maxLength={500}
        />
      </label>
      <label className="field">
        <span>Server</span>
        <input
          data-testid="key-server"
          type="url"
          value={server}
          spellCheck={false}
          onChange={(e) => setServer(e.target.value)}
        />
      </label>
      <div className="form-actions">
        <button type="button" disabled={!ready || busy} onClick={() => void test()}>
          Test
        </button>
        <button type="submit" className="primary" disabled={!ready || busy}>
          Save
        </button>
      </div>
      <p className={`tone-${outcome?.tone ?? 'muted'}`} role="status" data-testid="key-outcome">
        {outcome?.text ?? ''}
      </p>
    </form>
  );
}
