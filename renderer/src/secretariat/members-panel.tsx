import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/api/meetings';
import type { MeetingRole } from '../../../shared/roles';
import { endpoints, type DirectoryUser } from '../api/endpoints';
import { ErrorNote } from '../components/error-note';

const ROLES: MeetingRole[] = ['chair', 'secretary', 'delegate', 'observer'];

/** Members of a meeting and their roles; add from the user directory. */
export function MembersPanel({ meetingId, members, onChanged }: Readonly<{ meetingId: string; members: Member[]; onChanged: () => void }>) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<DirectoryUser[]>([]);
  const [pick, setPick] = useState('');
  const [role, setRole] = useState<MeetingRole>('delegate');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    endpoints
      .users()
      .then((r) => setUsers(r.users))
      .catch(() => undefined);
  }, []);
  const inMeeting = new Set(members.map((m) => m.userId));
  const candidates = users.filter((u) => !inMeeting.has(u.id) && u.role !== 'admin');

  function run(p: Promise<unknown>) {
    setError(null);
    p.then(onChanged).catch(setError);
  }

  return (
    <section className="panel" aria-labelledby="members-h">
      <h2 id="members-h">
        {t('members.title')} <span className="muted">({members.length})</span>
      </h2>
      <form
        className="row members-add"
        onSubmit={(e) => {
          e.preventDefault();
          if (pick) {
            run(endpoints.putMember(meetingId, pick, role));
            setPick('');
          }
        }}
      >
        <label className="field">
          <span>{t('members.add')}</span>
          <select value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t('members.choose')}</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.displayName} ({u.username})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('members.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as MeetingRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`meetingRoles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn" disabled={!pick}>
          {t('members.addButton')}
        </button>
      </form>
      <ErrorNote error={error} />
      <div className="table-wrap">
        <table className="members">
          <thead>
            <tr>
              <th scope="col">{t('members.name')}</th>
              <th scope="col">{t('members.role')}</th>
              <th scope="col">{t('members.rsvp')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId}>
                <td>
                  {m.displayName}
                  <div className="muted small">{m.title ?? m.username}</div>
                </td>
                <td>
                  <select aria-label={t('members.roleOf', { name: m.displayName })} value={m.role} onChange={(e) => run(endpoints.putMember(meetingId, m.userId, e.target.value as MeetingRole))}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`meetingRoles.${r}`)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <span className={`chip chip-rsvp-${m.rsvp}`}>{t(`rsvp.${m.rsvp}`)}</span>
                  {m.rsvpReason && <div className="muted small">{m.rsvpReason}</div>}
                </td>
                <td>
                  <button type="button" className="btn btn-small btn-ghost" aria-label={t('members.removeOf', { name: m.displayName })} onClick={() => run(endpoints.removeMember(meetingId, m.userId))}>
                    {t('members.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
