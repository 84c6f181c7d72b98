"use server";
import { redirect } from "next/navigation";
import { getPrisma } from "@/lib/db/client";
import { completeSetup, type SetupFormInput } from "@/lib/auth/setup";

export type SetupActionState = {
  message?: string;
  fieldErrors?: Partial<Record<keyof SetupFormInput, string>>;
  values?: { email: string; name: string };
};

const REFUSALS: Record<string, string> = {
  invalid: "This setup link is not valid. Restart Switchyard to print a new one.",
  expired: "This setup link has expired. Restart Switchyard to print a new one.",
  used: "This setup link was already used.",
  "owner-exists": "An owner account already exists. Sign in instead.",
};

export async function completeSetupAction(_previous: SetupActionState, form: FormData): Promise<SetupActionState> {
  const input = {
    token: String(form.get("token") ?? ""),
    email: String(form.get("email") ?? ""),
    name: String(form.get("name") ?? ""),
    password: String(form.get("password") ?? ""),
  };
  const result = await completeSetup(getPrisma(), input);
  if (result.ok) redirect("/signin?setup=done");
  const values = { email: input.email, name: input.name };
  if (result.reason === "validation") return { fieldErrors: result.fieldErrors, values };
  return { message: REFUSALS[result.reason], values };
}
