// Shape of the session and JWT that lib/auth/options.ts produces.
import type { DefaultSession } from "next-auth";
import type { Role } from "../rbac/permissions";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string | null; role: Role } & Omit<DefaultSession["user"], "email" | "name">;
  }
  interface User {
    role?: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: Role;
    /** Epoch ms of the last time role/disabled were re-read from the database. */
    checkedAt?: number;
    /** Set when the user was disabled or deleted: the session is treated as signed out. */
    revoked?: boolean;
  }
}
