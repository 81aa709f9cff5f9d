import { useId, useState } from 'react';
import {
  type CredentialKind,
  DEFAULT_SERVER,
  type KeyTestResult,
} from '../../../src-shared/domain/profile.ts';
import { parseGen3CredentialsFile } from '../../../src-shared/gen3-credentials.ts';
import { errorMessage } from '../../api/transport.ts';
import { useProfiles, useStores } from '../../store/context.tsx';

type Outcome = { tone: 'ok' | 'bad' | 'muted'; text: string } | null;

export function describeTest(result: KeyTestResult): Outcome {
  if (result.ok)
    return { tone: 'ok', text: result.email ? `Key works: signed in as ${result.email}.` : 'Key works.' };
  return { tone: 'bad', text: result.message ?? 'The server did not accept this key.' };
}

const KINDS: Array<{ kind: CredentialKind; label: string; help: string }> = [
  {
    kind: 'basic',
    label: '4DN access key',
    help: 'Create an access key on the portal (Profile, “Add Access Key”); the secret is shown only once.',
  },
  {
    kind: 'bearer',
    label: 'Bearer token',
    help: 'A token a DRS server gave you; it is sent to that server only, over https.',
  },
  {
    kind: 'gen3',
    label: 'Gen3 API key file',
    help: 'The credentials.json from a Gen3 commons’ profile page (“Create API key”); it is exchanged for short-lived tokens.',
  },
];

/** The key id and secret the form holds, by kind; a Gen3 file is read from its pasted or chosen text. */
function credentialOf(
  kind: CredentialKind,
  keyId: string,
  secret: string,
): { keyId: string; secret: string } {
  if (kind === 'gen3') return parseGen3CredentialsFile(secret);
  return { keyId: kind === 'bearer' ? keyId.trim() || 'token' : keyId.trim(), secret };
}

/**
 * Add a key: its kind, profile name, key id, secret (a token, or a Gen3 credentials.json), server. The secret lives only in this form's field until Test or
 * Save sends it; Save clears it whatever the outcome, so it stays in no store and no DOM afterwards.
 */
export function KeyForm() {
  const stores = useStores();
  const profiles = useProfiles((s) => s.profiles);
  const id = useId();
  const [name, setName] = useState(() => (profiles.some((p) => p.name === 'default') ? '' : 'default'));
  const [kind, setKind] = useState<CredentialKind>('basic');
  const [keyId, setKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [server, setServer] = useState(DEFAULT_SERVER);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const ready =
    name.trim() !== '' && (kind !== 'basic' || keyId.trim() !== '') && secret !== '' && server.trim() !== '';
  const key = () => ({
    server: server.trim().replace(/\/+$/, ''),
    ...(kind === 'basic' ? {} : { kind }),
    ...credentialOf(kind, keyId, secret),
  });
  const kindInfo = KINDS.find((k) => k.kind === kind) ?? (KINDS[0] as (typeof KINDS)[number]);
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
    setBusy(true);
    try {
      const input = { ...key(), name: name.trim() };
      setSecret('');
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
      <label className="field">
        <span>Kind</span>
        <select
          data-testid="key-kind"
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as CredentialKind);
            setSecret('');
          }}
        >
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">{kindInfo.help}</p>
      <label className="field">
        <span>Profile name</span>
        <input
          data-testid="key-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={100}
        />
      </label>
      {kind === 'gen3' ? (
        <label className="field">
          <span>credentials.json</span>
          <textarea
            data-testid="key-gen3"
            value={secret}
            spellCheck={false}
            rows={3}
            placeholder='{"api_key": "…", "key_id": "…"}'
            onChange={(e) => setSecret(e.target.value)}
          />
          <input
            type="file"
            accept=".json,application/json"
            aria-label="Choose credentials.json"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) setSecret(await file.text());
            }}
          />
        </label>
      ) : (
        <>
          <label className="field">
            <span>{kind === 'bearer' ? 'Label (optional)' : 'Key ID'}</span>
            <input
              data-testid="key-id"
              value={keyId}
              spellCheck={false}
              onChange={(e) => setKeyId(e.target.value)}
              maxLength={200}
            />
          </label>
          <label className="field">
            <span>{kind === 'bearer' ? 'Token' : 'Secret'}</span>
            <input
              data-testid="key-secret"
              type="password"
              autoComplete="new-password"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              maxLength={16_000}
            />
          </label>
        </>
      )}
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
