import { count } from 'drizzle-orm';
import type { AppContext } from '../server/http/context';
import type { Tx } from '../server/db/client';
import { join } from 'node:path';
import { agendaItems, blobs, councilMembers, councils, documents, meetingMembers, meetings, userCertificates, users } from '../server/db/schema';
import { hashPassword } from '../server/auth/passwords';
import type { StoredBlob } from '../server/documents/blob-store';
import type { MeetingRole, UserRole } from '../shared/roles';
import { DEMO_AGENDA, type DemoAgendaItem, type DemoDocument } from './demo-content';
import { demoCertDir, demoKeys, issueDemoCertificates } from './demo-certs';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_COUNCIL = 'Hội đồng nhân dân xã Tà Xùa';

interface DemoUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly title: string;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Quốc', 'Ngọc', 'Hữu'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Hương', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Thắng', 'Trang', 'Tuấn', 'Uyên', 'Việt', 'Xuân', 'Yến', 'Đạt'];

/** Demo mailboxes (a reserved .example domain): invitations and reminders go there, or to the log without SMTP_URL. */
export const demoEmail = (username: string) => `${username}@taxua.example`;

export function demoUsers(): DemoUser[] {
  const list: DemoUser[] = [
    { username: 'admin', displayName: 'Quản trị hệ thống', role: 'admin', title: 'Quản trị viên' },
    { username: 'secretary', displayName: 'Lê Thị Thu Hằng', role: 'secretary', title: 'Thư ký kỳ họp' },
    { username: 'chair', displayName: 'Nguyễn Văn Thắng', role: 'chair', title: 'Chủ tịch HĐND xã' },
  ];
  for (let i = 1; i <= 30; i++) {
    const name = `${FAMILY[i % FAMILY.length]} ${MIDDLE[i % MIDDLE.length]} ${GIVEN[(i - 1) % GIVEN.length]}`;
    list.push({ username: `delegate${String(i).padStart(2, '0')}`, displayName: name, role: 'delegate', title: 'Đại biểu HĐND xã' });
  }
  // Reads public documents and watches the hall display; not a council member.
  list.push({ username: 'observer01', displayName: 'Giàng A Páo', role: 'observer', title: 'Phóng viên Đài truyền thanh xã' });
  return list;
}

interface SeededDocument {
  readonly doc: DemoDocument;
  readonly blob: StoredBlob;
  readonly pages: number;
}

/** PDFs are generated once per process: test workers that seed several databases reuse them. */
let generated: Promise<Map<DemoDocument, { bytes: Uint8Array; pages: number }>> | undefined;
function generateDemoPdfs(): Promise<Map<DemoDocument, { bytes: Uint8Array; pages: number }>> {
  generated ??= (async () => {
    const all = DEMO_AGENDA.flatMap((i) => [...i.documents, ...(i.children ?? []).flatMap((c) => c.documents)]);
    const out = new Map<DemoDocument, { bytes: Uint8Array; pages: number }>();
    for (const d of all) {
      out.set(d, await d.make());
    }
    return out;
  })();
  generated.catch(() => {
    generated = undefined;
  });
  return generated;
}

async function storeDemoPdfs(ctx: AppContext): Promise<Map<DemoDocument, SeededDocument>> {
  const out = new Map<DemoDocument, SeededDocument>();
  for (const [doc, pdf] of await generateDemoPdfs()) {
    out.set(doc, { doc, blob: await ctx.blobs.put(Buffer.from(pdf.bytes)), pages: pdf.pages });
  }
  return out;
}

async function insertAgenda(
  tx: Tx,
  meetingId: string,
  uploadedBy: string | null,
  items: readonly DemoAgendaItem[],
  parentId: string | null,
  pdfs: ReadonlyMap<DemoDocument, SeededDocument>,
): Promise<void> {
  for (const [position, item] of items.entries()) {
    const [row] = await tx
      .insert(agendaItems)
      .values({ meetingId, parentId, position, title: item.title, description: item.description, presenter: item.presenter, kind: item.kind })
      .returning({ id: agendaItems.id });
    if (!row) {
      throw new Error('agenda insert failed');
    }
    for (const d of item.documents) {
      const s = pdfs.get(d);
      if (!s) {
        throw new Error(`demo PDF missing: ${d.name}`);
      }
      await tx.insert(blobs).values({ sha256: s.blob.sha256, size: s.blob.size }).onConflictDoNothing();
      await tx.insert(documents).values({
        meetingId,
        agendaItemId: row.id,
        name: d.name,
        sha256: s.blob.sha256,
        size: s.blob.size,
        pages: s.pages,
        confidentiality: d.confidentiality,
        uploadedBy,
      });
    }
    await insertAgenda(tx, meetingId, uploadedBy, item.children ?? [], row.id, pdfs);
  }
}

/** Seeds the demo council when the database has no users. */
export async function seedDemoIfEmpty(ctx: AppContext): Promise<boolean> {
  if (ctx.config.production) {
    throw new Error('The demo seed (password demo1234) is refused when NODE_ENV=production');
  }
  const [row] = await ctx.db.select({ n: count() }).from(users);
  if ((row?.n ?? 0) > 0) {
    return false;
  }
  // Files first (content-addressed blobs; the CA and its certificates), rows in one transaction.
  const all = demoUsers();
  const signers = all.filter((u) => u.role === 'chair' || u.role === 'secretary' || u.role === 'delegate');
  const [passwordHash, pdfs] = await Promise.all([hashPassword(DEMO_PASSWORD), storeDemoPdfs(ctx), demoKeys(signers.length)]);
  const certs = await issueDemoCertificates(ctx.config.dataDir, DEMO_COUNCIL, signers, DEMO_PASSWORD);
  await ctx.db.transaction(async (tx) => {
    const created = await tx
      .insert(users)
      .values(all.map((u) => ({ ...u, passwordHash, email: demoEmail(u.username) })))
      .returning({ id: users.id, username: users.username, role: users.role });
    const [council] = await tx
      .insert(councils)
      .values({ name: DEMO_COUNCIL, kind: 'peoples_council' })
      .returning();
    if (!council) {
      throw new Error('council insert failed');
    }
    const members = created.filter((u) => u.role === 'chair' || u.role === 'delegate' || u.role === 'secretary');
    await tx.insert(councilMembers).values(members.map((u) => ({ councilId: council.id, userId: u.id })));
    const secretary = created.find((u) => u.role === 'secretary');
    const [meeting] = await tx
      .insert(meetings)
      .values({
        councilId: council.id,
        title: 'Kỳ họp thứ 12 Hội đồng nhân dân xã Tà Xùa khóa XXI',
        body: council.name,
        location: 'Hội trường UBND xã Tà Xùa',
        startsAt: new Date(Date.now() + 24 * 3600 * 1000),
        status: 'published',
        createdBy: secretary?.id ?? null,
      })
      .returning();
    if (!meeting) {
      throw new Error('meeting insert failed');
    }
    const attendees = created.filter((u) => u.role !== 'admin');
    await tx.insert(meetingMembers).values(
      attendees.map((u) => ({
        meetingId: meeting.id,
        userId: u.id,
        role: meetingRoleOf(u.role),
        canRunRoom: u.role === 'secretary',
      })),
    );
    await insertAgenda(tx, meeting.id, secretary?.id ?? null, DEMO_AGENDA, null, pdfs);
    const idOf = new Map(created.map((u) => [u.username, u.id]));
    await tx.insert(userCertificates).values(
      certs.map((c) => {
        const userId = idOf.get(c.username);
        if (!userId) {
          throw new Error(`demo certificate for unknown user ${c.username}`);
        }
        return { serialHex: c.serialHex, userId, certSha256: c.certSha256, certPem: c.certPem, notAfter: c.notAfter };
      }),
    );
  });
  ctx.log.info(
    `Demo council seeded: accounts admin, secretary, chair, delegate01…delegate30, observer01; password ${DEMO_PASSWORD}. ` +
      `Signing certificates (org CA in ${join(ctx.config.dataDir, 'ca')}): ${demoCertDir(ctx.config.dataDir)}/<username>.p12, ` +
      `password ${DEMO_PASSWORD}, to import into the desktop vault`,
  );
  return true;
}

function meetingRoleOf(role: UserRole): MeetingRole {
  switch (role) {
    case 'chair':
      return 'chair';
    case 'secretary':
      return 'secretary';
    case 'observer':
      return 'observer';
    case 'admin':
    case 'delegate':
      return 'delegate';
  }
}
