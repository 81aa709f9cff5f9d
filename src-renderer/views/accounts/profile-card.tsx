import type { Profile } from '../../../src-shared/domain/profile.ts';

function when(iso: string | undefined): string {
  if (!iso) return 'unknown';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function lastTestText(profile: Profile): { tone: 'ok' | 'bad' | 'muted'; text: string } {
  const t = profile.lastTest;
  if (!t) return { tone: 'muted', text: 'Not tested yet' };
  if (t.ok) return { tone: 'ok', text: `Worked ${when(t.at)}${t.email ? ` as ${t.email}` : ''}` };
  return { tone: 'bad', text: `Failed ${when(t.at)}${t.message ? `: ${t.message}` : ''}` };
}

const KIND_NAMES = { basic: '4DN access key', bearer: 'Bearer token', gen3: 'Gen3 API key' } as const;

export function ProfileCard({
  profile,
  active,
  busy,
  onTest,
  onRemove,
}: {
  profile: Profile;
  active: boolean;
  busy: boolean;
  onTest(): void;
  onRemove(): void;
}) {
  const test = lastTestText(profile);
  return (
    <article className="card profile-card" aria-label={`Profile ${profile.name}`} data-testid="profile-card">
      <h3>
        {profile.name} {active ? <span className="pill">active</span> : null}
      </h3>
      <dl className="facts">
        <dt>Server</dt>
        <dd>{profile.server}</dd>
        <dt>Kind</dt>
        <dd>{KIND_NAMES[profile.kind ?? 'basic']}</dd>
        <dt>{profile.kind === 'bearer' ? 'Label' : 'Key ID'}</dt>
        <dd className="mono">{profile.keyId}</dd>
        <dt>Added</dt>
        <dd>{when(profile.addedAt)}</dd>
        <dt>Stored in</dt>
        <dd>{profile.source === 'keychain' ? 'System keychain' : 'keypairs.json'}</dd>
        <dt>Last test</dt>
        <dd className={`tone-${test.tone}`}>{test.text}</dd>
      </dl>
      <div className="form-actions">
        <button type="button" disabled={busy} onClick={onTest} aria-label={`Test ${profile.name}`}>
          Test
        </button>
        <button type="button" disabled={busy} onClick={onRemove} aria-label={`Remove ${profile.name}`}>
          Remove
        </button>
      </div>
    </article>
  );
}
