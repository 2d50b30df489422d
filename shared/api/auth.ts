import { z } from 'zod';
import { UserRole } from '../roles';

export const Username = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9._-]+$/, 'lowercase letters, digits, dot, dash and underscore only');

/** Minimum length only: long passphrases beat composition rules (NIST SP 800-63B). */
export const Password = z.string().min(8).max(256);

export const LoginRequest = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const PublicUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: UserRole,
  title: z.string().nullable().optional(),
});
export type PublicUser = z.infer<typeof PublicUser>;

export const LoginResponse = z.object({ token: z.string(), expiresAt: z.string(), user: PublicUser });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const ChangePasswordRequest = z.object({ currentPassword: z.string().min(1).max(256), newPassword: Password });
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

export const CreateUserRequest = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(200),
  role: UserRole,
  password: Password,
  title: z.string().trim().max(200).optional(),
  email: z.email().max(254).optional(),
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** PUT /api/users/:id/email — where invitations and reminders go (null = no mail). */
export const SetEmailRequest = z.object({ email: z.email().max(254).nullable() });

export const HealthResponse = z.object({
  status: z.literal('ok'),
  storage: z.enum(['pglite', 'postgres']),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
