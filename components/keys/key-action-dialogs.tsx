"use client";
import { useState, type FormEvent } from "react";
import { errorMessage } from "@/components/data/api-client";
import type { VirtualKey } from "@/components/data/api-types";
import { useRevokeVirtualKey, useRotateVirtualKey } from "@/components/data/use-virtual-keys";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { Button, ErrorNote, TextField } from "@/components/ui/form-fields";
import { SecretOnce } from "./secret-once";

export function RotateKeyDialog({ target, onClose }: { target: VirtualKey | null; onClose: () => void }) {
  const rotate = useRotateVirtualKey();
  const [grace, setGrace] = useState("");
  const close = () => {
    rotate.reset();
    setGrace("");
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    rotate.mutate({ id: target.id, graceSeconds: grace ? Number(grace) : undefined });
  };
  return (
    <ModalDialog open={target !== null} title={`Rotate “${target?.name ?? ""}”`} onClose={close} testId="rotate-key-dialog">
      {rotate.data ? (
        <div className="space-y-4">
          <SecretOnce
            secret={rotate.data.secret}
            note={rotate.data.previous_key_expires_at ? `The old key keeps working until ${rotate.data.previous_key_expires_at}.` : "The old key has stopped working."}
          />
          <div className="flex justify-end">
            <Button tone="primary" onClick={close} data-testid="rotate-done">Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="space-y-4">
          <p className="text-sm text-slate-600">A new secret replaces the current one. Clients must switch to it.</p>
          <TextField
            label="Grace period (seconds)"
            hint="How long the old secret keeps working; empty or 0 = it stops now."
            type="number"
            min="0"
            value={grace}
            onChange={(e) => setGrace(e.target.value)}
            data-testid="rotate-grace"
            error={rotate.error ? errorMessage(rotate.error) : null}
          />
          <div className="flex justify-end gap-2">
            <Button onClick={close}>Cancel</Button>
            <Button tone="primary" type="submit" disabled={rotate.isPending} data-testid="rotate-submit">
              {rotate.isPending ? "Rotating…" : "Rotate key"}
            </Button>
          </div>
        </form>
      )}
    </ModalDialog>
  );
}

export function RevokeKeyDialog({ target, onClose }: { target: VirtualKey | null; onClose: () => void }) {
  const revoke = useRevokeVirtualKey();
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ModalDialog open={target !== null} title="Revoke virtual key" onClose={close} testId="revoke-key-dialog">
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          Revoke <strong>{target?.name}</strong> ({target?.display_prefix})? Every request with it fails with 401 from now on. This cannot be undone.
        </p>
        <ErrorNote message={revoke.error ? errorMessage(revoke.error) : null} />
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button tone="danger" disabled={revoke.isPending} data-testid="revoke-confirm" onClick={() => target && revoke.mutate(target.id, { onSuccess: close })}>
            {revoke.isPending ? "Revoking…" : "Revoke"}
          </Button>
        </div>
      </div>
    </ModalDialog>
  );
}
