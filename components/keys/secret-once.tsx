"use client";
import { useState } from "react";
import { Button } from "@/components/ui/form-fields";

/** The only moment a virtual key's secret exists outside its hash (STYLE §8). */
export function SecretOnce({ secret, note }: { secret: string; note?: string }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      // Insecure origins (plain http on a LAN address) have no clipboard API: say so, the
      // value stays selectable.
      setCopied("failed");
    }
  };
  return (
    <div className="space-y-3" data-testid="secret-once">
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="note">
        <strong>Copy this key now.</strong> It is shown only once; Switchyard stores a hash and cannot show it again. {note}
      </p>
      <div className="flex items-center gap-2">
        <code data-testid="secret-value" className="min-w-0 flex-1 rounded-md bg-slate-900 px-3 py-2 font-mono text-sm break-all text-emerald-300 select-all">
          {secret}
        </code>
        <Button tone="primary" onClick={() => void copy()} data-testid="secret-copy" aria-label="Copy key to clipboard">
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      {copied === "failed" ? <p className="text-xs text-rose-700">The browser refused clipboard access; select the key and copy it by hand.</p> : null}
    </div>
  );
}
