import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Council, Member } from '../../../shared/api/meetings';
import type { MeetingRole } from '../../../shared/roles';
import { endpoints, type DirectoryUser } from '../api/endpoints';
import { ErrorNote } from '../components/error-note';
import { Select, SelectField } from '../components/select-field';

const ROLES: MeetingRole[] = ['chair', 'secretary', 'delegate', 'observer'];

/** Members of a meeting and their roles; add from the user directory. */
export function MembersPanel({
  meetingId,
  members,
  councilId,
  onChanged,
}: Readonly<{ meetingId: string; members: Member[]; councilId: string | null; onChanged: () => void }>) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<DirectoryUser[]>([]);
  const [pick, setPick] = useState('');
  const [role, setRole] = useState<MeetingRole>('delegate');
  const [councils, setCouncils] = useState<Council[]>([]);
  const [council, setCouncil] = useState(councilId ?? '');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkRole, setBulkRole] = useState<MeetingRole>('delegate');
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    endpoints
      .users()
      .then((r) => setUsers(r.users))
      .catch(() => undefined);
    endpoints
      .councils()
      .then((r) => setCouncils(r.councils))
      .catch(() => undefined);
  }, []);
  const toggle = (userId: string, on: boolean) => {
    const next = new Set(selected);
    if (on) {
      next.add(userId);
    } else {
      next.delete(userId);
    }
    setSelected(next);
  };
  const inMeeting = new Set(members.map((m) => m.userId));
  const candidates = users.filter((u) => !inMeeting.has(u.id) && u.role !== 'admin');
  const choose = { value: '', label: t('members.choose') };
  const roleChoices = ROLES.map((r) => ({ value: r, label: t(`meetingRoles.${r}`) }));

  function run(p: Promise<unknown>) {
    setError(null);
    setNote(null);
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
        <SelectField
          label={t('members.add')}
          value={pick}
          onChange={setPick}
          choices={[choose, ...candidates.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))]}
        />
        <SelectField label={t('members.role')} value={role} onChange={setRole} choices={roleChoices} />
        <button type="submit" className="btn" disabled={!pick}>
          {t('members.addButton')}
        </button>
      </form>
      <form
        className="row members-add"
        onSubmit={(e) => {
          e.preventDefault();
          if (council) {
            setError(null);
            endpoints
              .addCouncilMembers(meetingId, council)
              .then((r) => {
                setNote(t('members.councilAdded', { added: r.added, skipped: r.skipped }));
                onChanged();
              })
              .catch(setError);
          }
        }}
      >
        <SelectField
          label={t('members.fromCouncil')}
          value={council}
          onChange={setCouncil}
          choices={[choose, ...councils.map((c) => ({ value: c.id, label: c.name }))]}
        />
        <button type="submit" className="btn" disabled={!council}>
          {t('members.addCouncil')}
        </button>
      </form>
      <form
        className="row members-add"
        aria-label={t('members.bulkTitle')}
        onSubmit={(e) => {
          e.preventDefault();
          if (selected.size > 0) {
            setError(null);
            endpoints
              .setRoles(meetingId, [...selected], bulkRole)
              .then((r) => {
                setNote(t('members.rolesChanged', { count: r.changed }));
                setSelected(new Set());
                onChanged();
              })
              .catch(setError);
          }
        }}
      >
        <SelectField
          label={t('members.bulkRole', { count: selected.size })}
          value={bulkRole}
          onChange={setBulkRole}
          choices={roleChoices}
        />
        <button type="submit" className="btn" disabled={selected.size === 0}>
          {t('members.applyRole')}
        </button>
      </form>
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
      <ErrorNote error={error} />
      <div className="table-wrap">
        <table className="members">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t('members.selectAll')}
                  checked={members.length > 0 && selected.size === members.length}
                  onChange={(e) =>
                    setSelected(e.target.checked ? new Set(members.map((m) => m.userId)) : new Set())
                  }
                />
              </th>
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
                  <input
                    type="checkbox"
                    aria-label={t('members.select', { name: m.displayName })}
                    checked={selected.has(m.userId)}
                    onChange={(e) => toggle(m.userId, e.target.checked)}
                  />
                </td>
                <td>
                  {m.displayName}
                  <div className="muted small">{m.title ?? m.username}</div>
                </td>
                <td>
                  <Select
                    aria-label={t('members.roleOf', { name: m.displayName })}
                    value={m.role}
                    onChange={(r) => run(endpoints.putMember(meetingId, m.userId, r))}
                    choices={roleChoices}
                  />
                </td>
                <td>
                  <span className={`chip chip-rsvp-${m.rsvp}`}>{t(`rsvp.${m.rsvp}`)}</span>
                  {m.rsvpReason && <div className="muted small">{m.rsvpReason}</div>}
                </td>
                <td>
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    aria-label={t('members.removeOf', { name: m.displayName })}
                    onClick={() => run(endpoints.removeMember(meetingId, m.userId))}
                  >
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
