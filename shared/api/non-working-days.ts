import { z } from 'zod';
import { FIXED_PUBLIC_HOLIDAYS } from '../domain/working-days';

/**
 * A council's non-working days (docs/api.md "Non-working days"): the dates its secretariat enters,
 * such as Tết and Giỗ Tổ (lunar, so entered each year) and announced days off. The fixed solar
 * holidays always count and are listed apart (`fixed`). Deadlines in working days skip them all.
 */

/** A real calendar day (2026-02-30 is refused) within a range a council plans for. */
export const NonWorkingDate = z.iso
  .date({ message: 'use a calendar day YYYY-MM-DD' })
  .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', { message: 'the year must be between 2000 and 2099' });

export const NonWorkingDay = z.object({ date: z.iso.date(), name: z.string() });
export type NonWorkingDay = z.infer<typeof NonWorkingDay>;

export const FixedHoliday = z.object({ month: z.number().int(), day: z.number().int(), key: z.enum(FIXED_PUBLIC_HOLIDAYS.map((h) => h.key)) });

export const NonWorkingDayList = z.object({
  councilId: z.uuid(),
  /** The council's own days, by date. */
  days: z.array(NonWorkingDay),
  /** Holidays on fixed solar dates, every year. */
  fixed: z.array(FixedHoliday),
  /** Whether the caller may add and remove days. */
  canEdit: z.boolean(),
});
export type NonWorkingDayList = z.infer<typeof NonWorkingDayList>;

/** Adds days (a date already listed takes the new name); all of them or none. */
export const AddNonWorkingDaysRequest = z.strictObject({
  days: z
    .array(z.strictObject({ date: NonWorkingDate, name: z.string().trim().max(200, { message: 'at most 200 characters' }).default('') }))
    .min(1, { message: 'give at least one day' })
    .max(100, { message: 'at most 100 days at once' })
    .refine((days) => new Set(days.map((d) => d.date)).size === days.length, { message: 'a date is given twice' }),
});
export type AddNonWorkingDaysRequest = z.input<typeof AddNonWorkingDaysRequest>;

export const NonWorkingDayParams = z.object({ id: z.uuid(), date: NonWorkingDate });
