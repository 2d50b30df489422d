import { count } from 'drizzle-orm';
import type { AppContext } from '../server/http/context';
import { users, councils, councilMembers, meetings, meetingMembers } from '../server/db/schema';
import { hashPassword } from '../server/auth/passwords';
import type { MeetingRole, UserRole } from '../shared/roles';

export const DEMO_PASSWORD = 'demo1234';

interface DemoUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: UserRole;
  readonly title: string;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Quốc', 'Ngọc', 'Hữu'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Hương', 'Khánh', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Nga', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Thắng', 'Trang', 'Tuấn', 'Uyên', 'Việt', 'Xuân', 'Yến', 'Đạt'];

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
  return list;
}

/** Seeds the demo council when the database has no users (issue #2 "Demo seed"). */
export async function seedDemoIfEmpty(ctx: AppContext): Promise<boolean> {
  if (ctx.config.production) {
    throw new Error('The demo seed (password demo1234) is refused when NODE_ENV=production');
  }
  const [row] = await ctx.db.select({ n: count() }).from(users);
  if ((row?.n ?? 0) > 0) {
    return false;
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await ctx.db.transaction(async (tx) => {
    const created = await tx
      .insert(users)
      .values(demoUsers().map((u) => ({ ...u, passwordHash })))
      .returning({ id: users.id, username: users.username, role: users.role });
    const [council] = await tx
      .insert(councils)
      .values({ name: 'Hội đồng nhân dân xã Tà Xùa', kind: 'peoples_council' })
      .returning();
    if (!council) {
      throw new Error('council insert failed');
    }
    const members = created.filter((u) => u.role === 'chair' || u.role === 'delegate' || u.role === 'secretary');
    await tx.insert(councilMembers).values(members.map((u) => ({ councilId: council.id, userId: u.id })));
    const [meeting] = await tx
      .insert(meetings)
      .values({
        councilId: council.id,
        title: 'Kỳ họp thứ 12 Hội đồng nhân dân xã Tà Xùa khóa XXI',
        body: council.name,
        location: 'Hội trường UBND xã Tà Xùa',
        startsAt: new Date(Date.now() + 24 * 3600 * 1000),
        status: 'published',
      })
      .returning();
    if (!meeting) {
      throw new Error('meeting insert failed');
    }
    await tx.insert(meetingMembers).values(
      members.map((u) => ({
        meetingId: meeting.id,
        userId: u.id,
        role: meetingRoleOf(u.role),
        canRunRoom: u.role === 'secretary',
      })),
    );
  });
  ctx.log.info(`Demo council seeded: accounts admin, secretary, chair, delegate01…delegate30; password ${DEMO_PASSWORD}`);
  return true;
}

function meetingRoleOf(role: UserRole): MeetingRole {
  return role === 'chair' ? 'chair' : role === 'secretary' ? 'secretary' : 'delegate';
}
